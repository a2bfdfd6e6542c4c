import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Refuses, Responds } from '../docs/contract';
import { IsIn } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { LocalTokenIssuer, type Principal, type TokenVerifier } from '@atlauja/auth';
import { maskPersonalCode } from '@atlauja/domain';
import { TOKEN_VERIFIER } from '../auth/bearer.guard';
import { problem, ProblemError } from '../http/problem';
import { DEMO_PEOPLE, demoPerson } from './demo-people';
import { OidcClient, OidcSignInError, type OidcTransaction } from './oidc-client';
import { clearCookie, cookiesAreSecure, csrfTokenOf, NAME_COOKIE, OIDC_COOKIE, readCookie, SESSION_COOKIE, setCookie } from './session-cookies';
import { sessionTokenOf } from './session-token';
import { SESSION_CONFIG, type SessionConfig } from './session-config';

class DemoSignInDto {
  @ApiProperty({ enum: DEMO_PEOPLE.map((p) => p.id), example: 'representative' })
  @IsIn(DEMO_PEOPLE.map((p) => p.id), { message: `person must be one of ${DEMO_PEOPLE.map((p) => p.id).join(', ')}` })
  person!: string;
}

const notHere = (what: string) => new ProblemError(problem(404, 'Not found', { code: 'SIGN_IN_METHOD_UNAVAILABLE', detail: `${what} is not offered in this mode` }));

/** Only a path of this site: never another origin (an open redirect), never a protocol-relative URL. */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length <= 300 ? value : '/';
}

/**
 * The portal's sign-in and session. Local mode: choose a demo person, whose token the service
 * mints itself. Server mode: OIDC authorization code with PKCE. Either way the token lands in an
 * httpOnly cookie (session-cookies.ts) and the page learns only who is signed in and the CSRF token.
 */
@ApiTags('session')
@Controller('session')
export class SessionController {
  private readonly oidc?: OidcClient;

  constructor(@Inject(SESSION_CONFIG) private readonly config: SessionConfig, @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {
    if (config.oidc) this.oidc = new OidcClient(config.oidc);
  }

  @Get()
  @ApiOperation({ summary: 'Who is signed in on this browser, how to sign in, and the anti-CSRF token for unsafe requests' })
  @Responds(200, 'Session', { headers: ['Cache-Control'] })
  async current(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const signIn = this.config.mode === 'local' ? 'demo' : this.oidc ? 'oidc' : 'none';
    const token = readCookie(req, SESSION_COOKIE);
    let principal: Principal | undefined;
    if (token) principal = await this.verifier.verify(token).catch(() => undefined);
    reply.header('cache-control', 'no-store');
    if (!token || !principal) {
      if (token) clearCookie(reply, cookiesAreSecure(this.config, req), SESSION_COOKIE);
      return { signedIn: false as const, mode: this.config.mode, signIn };
    }
    const exp = decodeJwt(token).exp;
    return {
      signedIn: true as const,
      mode: this.config.mode,
      signIn,
      person: { personalCode: maskPersonalCode(principal.subject), roles: principal.roles, institutions: principal.institutions, name: readCookie(req, NAME_COOKIE) ?? null },
      csrfToken: csrfTokenOf(token),
      expiresAt: exp ? new Date(exp * 1000).toISOString() : null,
    };
  }

  @Get('demo-people')
  @ApiOperation({ summary: 'Local mode only: the demo people one may sign in as' })
  @Responds(200, 'DemoPeople')
  @Refuses(404)
  demoPeople() {
    if (this.config.mode !== 'local') throw notHere('demo sign-in');
    return { people: DEMO_PEOPLE.map((p) => ({ id: p.id, givenName: p.givenName, surname: p.surname, roles: p.principal.roles, institutions: p.principal.institutions })) };
  }

  @Post('demo')
  @HttpCode(200)
  @ApiOperation({ summary: 'Local mode only: sign in as a demo person (the service mints the token)' })
  @Responds(200, 'DemoSignedIn', { headers: ['Set-Cookie'] })
  @Refuses(404)
  async demo(@Body() body: DemoSignInDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    if (this.config.mode !== 'local' || !(this.verifier instanceof LocalTokenIssuer)) throw notHere('demo sign-in');
    // A JSON body only: a cross-site form cannot send one without a preflight this service never grants.
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw new ProblemError(problem(415, 'Unsupported media type'));
    const person = demoPerson(body.person)!;
    const token = await this.verifier.mint(person.principal, this.config.localSessionSeconds);
    const secure = cookiesAreSecure(this.config, req);
    setCookie(reply, secure, SESSION_COOKIE, token, { maxAge: this.config.localSessionSeconds });
    setCookie(reply, secure, NAME_COOKIE, encodeURIComponent(`${person.givenName} ${person.surname}`), { maxAge: this.config.localSessionSeconds });
    return { signedIn: true, csrfToken: csrfTokenOf(token) };
  }

  @Post('sign-out')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session on this browser (needs the anti-CSRF header)' })
  @Responds(204, null, { headers: ['Set-Cookie'] })
  @Refuses(401, 403)
  signOut(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    sessionTokenOf(req);
    const secure = cookiesAreSecure(this.config, req);
    clearCookie(reply, secure, SESSION_COOKIE);
    clearCookie(reply, secure, NAME_COOKIE);
  }

  @Get('oidc/start')
  @ApiOperation({ summary: 'Server mode: redirect to the OIDC issuer (authorization code with PKCE)' })
  @ApiQuery({ name: 'returnTo', required: false, description: 'a path of this site to come back to' })
  @Responds(303, null, { headers: ['Location', 'Set-Cookie', 'Cache-Control'], description: 'to the issuer' })
  @Refuses(404)
  async start(@Query('returnTo') returnTo: string | undefined, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.oidc) throw notHere('OIDC sign-in');
    const { transaction, url } = await this.oidc.start(safeReturnTo(returnTo)).catch((e: unknown) => {
      throw new ProblemError(problem(503, 'Sign-in unavailable', { code: (e as OidcSignInError).code ?? 'OIDC_DISCOVERY_FAILED', detail: "the identity provider's discovery document could not be read" }), { 'retry-after': '30' });
    });
    // Lax, not Strict: the issuer sends the browser back with a cross-site top-level GET.
    setCookie(reply, true, OIDC_COOKIE, Buffer.from(JSON.stringify(transaction)).toString('base64url'), { sameSite: 'lax', maxAge: 600 });
    void reply.status(303).header('location', url).header('cache-control', 'no-store').send();
  }

  @Get('oidc/callback')
  @ApiOperation({ summary: 'Server mode: the issuer returns here with the code; the session cookie is set' })
  @ApiQuery({ name: 'code', required: false, description: 'the authorization code' })
  @ApiQuery({ name: 'state', required: false })
  @Responds(303, null, { headers: ['Location', 'Set-Cookie', 'Cache-Control'], description: 'back to the portal (on failure to its sign-in page, naming the code)' })
  @Refuses(404)
  async callback(@Query() query: Record<string, string>, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.oidc) throw notHere('OIDC sign-in');
    const raw = readCookie(req, OIDC_COOKIE);
    clearCookie(reply, true, OIDC_COOKIE);
    const fail = (code: string) => void reply.status(303).header('location', `/ienakt?klume=${encodeURIComponent(code)}`).header('cache-control', 'no-store').send();
    let transaction: OidcTransaction;
    try {
      transaction = JSON.parse(Buffer.from(raw ?? '', 'base64url').toString('utf8')) as OidcTransaction;
    } catch {
      return fail('OIDC_STATE_MISMATCH');
    }
    try {
      const { accessToken, idToken } = await this.oidc.finish(transaction, query);
      // The access token must be one this API accepts (issuer, OIDC_AUDIENCE, roles claim).
      await this.verifier.verify(accessToken);
      const exp = decodeJwt(accessToken).exp;
      const maxAge = exp ? Math.max(0, exp - Math.floor(Date.now() / 1000)) : 3600;
      setCookie(reply, true, SESSION_COOKIE, accessToken, { maxAge });
      const name = [idToken.given_name, idToken.family_name].filter((v) => typeof v === 'string').join(' ') || (typeof idToken.name === 'string' ? idToken.name : '');
      if (name) setCookie(reply, true, NAME_COOKIE, encodeURIComponent(name), { maxAge });
      void reply.status(303).header('location', safeReturnTo(transaction.returnTo)).header('cache-control', 'no-store').send();
    } catch (error) {
      return fail(error instanceof OidcSignInError ? error.code : 'OIDC_ACCESS_TOKEN_REFUSED');
    }
  }
}
