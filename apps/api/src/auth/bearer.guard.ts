import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Principal, TokenVerifier, Unauthenticated } from '@atlauja/auth';
import { sessionTokenOf } from '../session/session-token';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Every route but health and docs needs a verified bearer token, from the Authorization header or
 * from the portal's session cookie (checked against CSRF there); the principal rides on the request.
 */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header) {
      const session = sessionTokenOf(request);
      if (!session) throw new Unauthenticated('an Authorization: Bearer token (or a portal session) is required');
      request.principal = await this.verifier.verify(session);
      return true;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new Unauthenticated('the Authorization header must be "Bearer <token>"');
    request.principal = await this.verifier.verify(match[1]);
    return true;
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Unauthenticated('not authenticated');
  return principal;
});
