/**
 * BearerGuard for this module's controllers. BearerGuard needs the token verifier, an AppModule
 * provider this module cannot inject; it is looked up when the first request comes, by which time
 * the application is built.
 */
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { TokenVerifier } from '@atlauja/auth';
import { BearerGuard, TOKEN_VERIFIER } from '../auth/bearer.guard';

@Injectable()
export class ReadModelsBearerGuard implements CanActivate {
  private bearer: BearerGuard | null = null;

  constructor(private readonly moduleRef: ModuleRef) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    this.bearer ??= new BearerGuard(this.moduleRef.get<TokenVerifier>(TOKEN_VERIFIER, { strict: false }));
    return this.bearer.canActivate(context);
  }
}
