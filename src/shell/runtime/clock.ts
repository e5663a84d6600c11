/** The shell's clock: ISO-8601 UTC now, handed to the core as data. */
export const systemClock = (): string => new Date().toISOString();
