export { readSigmaFile, type SigmaReadOptions, type SigmaReadResult } from "./read-sigma-file.js";
export { parseSigmaString } from "./sigma-string.js";
