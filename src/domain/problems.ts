/** A reason a proposal cannot be accepted, tied to the input field at fault. */
export type ProblemCode = 'REQUIRED' | 'TOO_LONG' | 'CONTROL_CHARACTERS' | 'OUT_OF_RANGE' | 'NOT_A_NUMBER';

export interface Problem {
  readonly field: string;
  readonly code: ProblemCode;
  readonly message: string;
}
