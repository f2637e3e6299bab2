import { fileURLToPath } from "node:url";

/** The installed package's root (compiled code lives in dist/src/), for templates/ and data/. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));
