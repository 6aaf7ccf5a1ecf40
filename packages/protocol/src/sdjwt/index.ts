export * from './decode.ts';
export * from './disclosure.ts';
export * from './issue.ts';
export * from './present.ts';
export * from './verify.ts';
