/** Page-taking helper of the data worker (src/data/prefault.ts): wiring only. */
import { servePrefault } from '../src/data/prefault.ts';

servePrefault(self as unknown as Parameters<typeof servePrefault>[0]);
