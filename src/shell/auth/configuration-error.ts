export class InvalidAuthConfigurationError extends Error {
  override readonly name = 'InvalidAuthConfigurationError';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}
