/** Types of tools/scale-inputs/generate.js: input set name (<module>.<set>) -> module inputs. */
export const SETS: Record<string, Record<string, unknown>>;
