import { VisitplannrError } from '../../errors/index.js';

export class InvalidAuthConfigurationError extends VisitplannrError {
  override readonly name = 'InvalidAuthConfigurationError';
  readonly code = 'INVALID_AUTH_CONFIGURATION';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}
