export * from './principal';
export * from './claims';
export * from './token-verifier';
export * from './local-issuer';
export * from './oidc-verifier';
export * from './policy';
export * from './verified-token-cache';
export * from './disclosure';
