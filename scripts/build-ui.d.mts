export function buildUi(options?: { force?: boolean }): Promise<boolean>;
