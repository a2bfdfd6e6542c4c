export * from './stream-names';
export * from './definitions';
