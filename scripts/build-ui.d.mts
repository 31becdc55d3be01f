export const defaultUiDir: string;
export function buildUi(options?: { force?: boolean; outDir?: string }): Promise<boolean>;
