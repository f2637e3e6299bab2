export { readSigmaFile, type SigmaReadOptions, type SigmaReadResult } from "./read-sigma-file.js";
export { type SigmaFilter } from "./sigma-filter.js";
