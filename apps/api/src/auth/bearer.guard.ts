import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Forbidden, Principal, TokenVerifier, Unauthenticated } from '@atlauja/auth';
import { sessionTokenOf } from '../session/session-token';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const FOR_SERVICE_CREDENTIALS = 'atlauja:for-service-credentials';

/** Marks a route a service credential calls (the login intake, the e-service's question). Every other route is a person's. */
export const ForServiceCredentials = (): MethodDecorator & ClassDecorator => SetMetadata(FOR_SERVICE_CREDENTIALS, true);

/**
 * Every route but health and docs needs a verified token, from the Authorization header or from the
 * portal's session cookie (checked against CSRF there); the principal rides on the request. A
 * service credential is refused (403 PERSON_REQUIRED) on every route not marked for it, before its
 * body is read: the policy table refuses it for every person's capability as well, and this holds
 * for a route that forgot to ask.
 */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier, private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.principal = await this.verifier.verify(this.tokenOf(request));
    const forServices = this.reflector.getAllAndOverride<boolean | undefined>(FOR_SERVICE_CREDENTIALS, [context.getHandler(), context.getClass()]);
    if (request.principal.service && !forServices) throw new Forbidden('PERSON_REQUIRED', 'this route is for people, not a service credential');
    return true;
  }

  private tokenOf(request: AuthenticatedRequest): string {
    const header = request.headers.authorization;
    if (!header) {
      const session = sessionTokenOf(request);
      if (!session) throw new Unauthenticated('an Authorization: Bearer token (or a portal session) is required');
      return session;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new Unauthenticated('the Authorization header must be "Bearer <token>"');
    return match[1];
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Unauthenticated('not authenticated');
  return principal;
});
