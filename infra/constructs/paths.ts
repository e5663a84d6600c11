/** Where the repository's sources live, for bundling (independent of the working directory). */
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LAMBDA_ENTRY_DIR = `${REPO_ROOT}src/shell/lambda/`;
