export const SCALES = ['S', 'M', 'L'] as const;
export type Scale = (typeof SCALES)[number];
