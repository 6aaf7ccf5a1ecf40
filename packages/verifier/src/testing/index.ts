export * from './clock.ts';
export * from './counting-server.ts';
