export { readSigmaFile, type SigmaReadOptions, type SigmaReadResult } from "./read-sigma-file.js";
export { parseSigmaString } from "./sigma-string.js";
export { type SigmaFilter } from "./sigma-filter.js";
