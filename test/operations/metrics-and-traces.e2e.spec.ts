/**
 * Metrics and traces after a lifecycle: draft, rights, submit, sign (a valid and a refused
 * signature), claim, approve, and refused commands. /metrics shows every family an operator needs;
 * a caller's traceparent is continued through HTTP -> command -> store -> projection.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TickReport } from '@atlauja/projections';
import { ProcessesHost } from '../../apps/api/src/processes/processes.host';
import { bearer, draftBody, Harness, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('metrics and traces after a lifecycle', () => {
  let h: Harness;
  const spans = new InMemorySpanExporter();
  let applicationId: string;
  let metrics: string;
  let tick: TickReport;

  beforeAll(async () => {
    // The executor's timer is off: the test ticks it once, so the notices it settles are known.
    h = await startHarness({ spanExporter: spans }, { EXPIRY_INTERVAL_SECONDS: '0' });
    const rep = bearer(h.tokens.representative);
    const approver = bearer(h.tokens.approver);
    const drafted = await h.http().post('/applications').set(rep).set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-01`).send(draftBody()).expect(201);
    applicationId = drafted.body.applicationId;
    const id = applicationId;
    await h.http().put(`/applications/${id}/rights`).set(rep).send(MINISTRY_USER_RIGHTS).expect(200);
    await h.http().post(`/applications/${id}/approve`).set(approver).expect(422); // not signed yet: refused by the domain
    await h.http().post(`/applications/${id}/submit`).set(rep).expect(200);
    const document = await h.http().get(`/applications/${id}/document`).set(rep).expect(200);
    // Another person's certificate: refused, with the failed check's code.
    await h.http().post(`/applications/${id}/signature`).set(rep).send({ signature: signDocument(h.otherPersonChain, document.body.contentBase64) }).expect(422);
    await h.http().post(`/applications/${id}/signature`).set(rep).send({ signature: signDocument(h.representativeChain, document.body.contentBase64) }).expect(200);
    await h.http().post(`/applications/${id}/claim`).set(approver).expect(200);
    const approved = await h.http().post(`/applications/${id}/approve`).set(approver).expect(200);
    // The read models include it (the projection span of the approve ends then).
    await h.http().get(`/queue?minPosition=${approved.body.position}`).set(approver).expect(200);
    tick = await h.app.get(ProcessesHost).processes.rightsOverTime.tick(new Date());
    metrics = (await h.http().get('/metrics').expect(200).expect('content-type', /text\/plain/)).text;
  }, 300_000);
  afterAll(async () => {
    await h.close();
  });

  it('counts commands by command, outcome and refusal code, with their latency', () => {
    expect(metrics).toMatch(/atlauja_commands_total\{command="POST \/applications",outcome="accepted",code="none"\} 1/);
    expect(metrics).toMatch(/atlauja_commands_total\{command="POST \/applications\/:id\/approve",outcome="refused",code="[A-Z_]+"\} 1/);
    expect(metrics).toMatch(/atlauja_commands_total\{command="POST \/applications\/:id\/approve",outcome="accepted",code="none"\} 1/);
    expect(metrics).toMatch(/atlauja_command_duration_seconds_bucket\{le="[0-9.]+",command="POST \/applications\/:id\/submit",outcome="accepted"\}/);
    expect(metrics).toMatch(/atlauja_http_request_duration_seconds_count\{method="GET",route="\/applications\/:id\/document",status="200"\} 1/);
  });

  it('counts signature verdicts by code', () => {
    expect(metrics).toMatch(/atlauja_signature_verdicts_total\{verdict="valid",code="none"\} 1/);
    expect(metrics).toMatch(/atlauja_signature_verdicts_total\{verdict="invalid",code="[A-Z_]+"\} [1-9]/);
  });

  it('shows each projection\'s lag in events and seconds, and whether it failed', () => {
    for (const projection of ['approval_queue', 'audit_log']) {
      expect(metrics).toMatch(new RegExp(`atlauja_projection_lag_events\\{projection="${projection}"\\} 0`));
      expect(metrics).toMatch(new RegExp(`atlauja_projection_lag_seconds\\{projection="${projection}"\\} 0`));
      expect(metrics).toMatch(new RegExp(`atlauja_projection_failed\\{projection="${projection}"\\} 0`));
    }
  });

  it('shows the executor backlog, its queue and the notices it settled, store call latency and event-loop delay', () => {
    // The approval's notices (to the institution and to the user) went out at the tick; its reminders wait in the queue.
    expect(tick.delivered).toBe(2);
    expect(metrics).toMatch(/atlauja_notices_settled_total\{outcome="delivered"\} 2\n/);
    expect(metrics).toMatch(/atlauja_executor_backlog\{kind="work"\} 0\n/);
    expect(metrics).toMatch(/atlauja_executor_backlog\{kind="notices"\} 0\n/);
    expect(metrics).toMatch(/atlauja_notice_deliveries\{status="pending"\} [1-9]\d*\n/);
    expect(metrics).toMatch(/atlauja_notice_deliveries\{status="failed"\} 0\n/);
    expect(metrics).toMatch(/atlauja_store_call_duration_seconds_count\{operation="append",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/atlauja_store_call_duration_seconds_count\{operation="readStream",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/nodejs_eventloop_lag_seconds \d/);
    expect(metrics).toMatch(/nodejs_eventloop_lag_p99_seconds \d/);
  });

  it('continues the caller\'s trace: HTTP -> command -> store -> projection', async () => {
    let trace: ReadableSpan[] = [];
    for (let i = 0; i < 50; i++) {
      trace = spans.getFinishedSpans().filter((s) => s.spanContext().traceId === TRACE_ID);
      if (trace.some((s) => s.name === 'projection')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
    const http = trace.find((s) => s.name === 'HTTP POST /applications');
    expect(http).toBeDefined();
    expect(parentOf(http!)).toBe(CALLER_SPAN);
    const command = trace.find((s) => s.name === 'command POST /applications');
    expect(parentOf(command!)).toBe(http!.spanContext().spanId);
    const append = trace.find((s) => s.name === 'store.append');
    expect(append).toBeDefined();
    expect(parentOf(append!)).toBe(command!.spanContext().spanId);
    expect(append!.attributes['atlauja.stream']).toBe(`application-${applicationId}`);
    const projection = trace.find((s) => s.name === 'projection');
    expect(parentOf(projection!)).toBe(command!.spanContext().spanId);
    expect(projection!.attributes['atlauja.projection.outcome']).toBe('reached');
    // Requests without a traceparent start traces of their own.
    expect(spans.getFinishedSpans().some((s) => s.name === 'HTTP POST /applications/:id/approve' && s.spanContext().traceId !== TRACE_ID)).toBe(true);
  });
});
