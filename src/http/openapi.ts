/**
 * What /openapi.json says each operation answers: its success codes, Sen's one error shape, and the
 * errors that can happen there. Document only: no route gets a Fastify `response` schema from here,
 * so no answer is ever serialized (and cut down) through these schemas.
 *
 * `transform` (per route, where the route's method, url, config and auth hook are known) puts a plan on
 * the operation under ANSWERS_KEY; `transformObject` turns the plans into OpenAPI `responses` and adds
 * the shared schemas (`#/components/schemas/Error`, the portal's two views).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { OpenAPIV3 } from 'openapi-types';
import type { FastifySchema, RouteOptions } from 'fastify';
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { CLOCK_STATES } from '../domain/clocks';
import { TStatus } from '../domain/schemas';
import { routeAbility } from './auth';

/** An answer as the document shows it: its status, what it means in English and Vietnamese. */
interface Answer {
  status: number;
  en: string;
  vi: string;
  /** A schema in `#/components/schemas` the answer's JSON body follows. */
  body?: keyof typeof SHARED_SCHEMAS;
  headers?: Record<string, OpenAPIV3.HeaderObject>;
}

/** What a route answers beyond the generic rules below: its success codes (default 200) and errors only it has. */
interface RouteAnswers {
  success?: Answer[];
  errors?: Answer[];
}

const ANSWERS_KEY = 'x-sen-answers';

// ——— Shared schemas (OpenAPI 3.0: nullable, not type null) ———

const DateTime = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });

/** Sen's error body, as src/http/errors.ts sends it for every 4xx and 5xx. */
const TError = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'Stable error code (validation_failed, complaint_not_found, …) / Mã lỗi cố định', example: 'validation_failed' }),
        message: Type.String({ description: 'In the language of Accept-Language (vi by default, en) / Theo Accept-Language (mặc định tiếng Việt)' }),
        fields: Type.Optional(
          Type.Array(
            Type.Object(
              {
                field: Type.String({ description: 'Path of the field at fault, e.g. customer.phone', example: 'customer.phone' }),
                code: Type.String({ description: 'Stable field error code, e.g. required, phone_invalid, consent_required', example: 'phone_invalid' }),
                message: Type.String(),
              },
              { additionalProperties: false },
            ),
            { description: 'Only on validation errors (422) / Chỉ có ở lỗi dữ liệu (422)' },
          ),
        ),
        allowed: Type.Optional(Type.Array(Type.String(), { description: 'Only on a refused status change: the statuses the caller may move to' })),
        complaints: Type.Optional(Type.Array(Type.String(), { description: 'The complaints in the way (codes), when an error names them' })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: 'Every error Sen answers / Mọi lỗi Sen trả về' },
);

/** What the public intake answers (201, and 200 for a replay). */
export const TPortalComplaintReceipt = Type.Object(
  {
    code: Type.String({ description: 'The complaint code / Mã khiếu nại', example: 'KN-2026-000001' }),
    status: TStatus,
    receivedAt: DateTime('When Sen received it / Thời điểm tiếp nhận'),
    acknowledgementDueAt: DateTime('Promised acknowledgement / Hạn xác nhận đã nhận'),
    resolutionDueAt: DateTime('Promised resolution / Hạn giải quyết'),
    statusUrl: Type.String({ format: 'uri', description: 'The status page of this complaint / Trang tra cứu' }),
  },
  { description: 'The complaint just filed / Khiếu nại vừa gửi' },
);

/** The customer's view of a complaint (status lookup; also the answer of the portal's writes). */
export const TPortalComplaintView = Type.Object(
  {
    code: Type.String({ example: 'KN-2026-000001' }),
    status: TStatus,
    subject: Type.String(),
    receivedAt: DateTime(),
    acknowledgementDueAt: DateTime(),
    resolutionDueAt: DateTime(),
    promises: Type.Array(
      Type.Object({
        kind: Type.String({ enum: ['acknowledgement', 'resolution'] }),
        dueAt: DateTime(),
        state: Type.String({ enum: [...CLOCK_STATES] }),
        doneAt: Type.String({ format: 'date-time', nullable: true }),
      }),
      { description: 'The dates promised to the customer and whether each was kept / Các hạn đã cam kết và đã giữ đúng chưa' },
    ),
    canWithdraw: Type.Boolean({ description: 'Whether the customer may withdraw it on the status page / Có thể tự rút khiếu nại' }),
    timeline: Type.Array(
      Type.Object(
        {
          type: Type.String({ description: 'complaint.created, status.changed, message.received, …', example: 'status.changed' }),
          at: DateTime(),
          status: Type.Optional(TStatus),
          reason: Type.Optional(Type.String({ description: 'The reason of a refusal or a withdrawal' })),
          body: Type.Optional(Type.String({ description: 'The text of a customer message' })),
        },
        { additionalProperties: true, description: 'The public events; further fields depend on the type (docs/API.md)' },
      ),
    ),
  },
  { description: 'The complaint as its customer sees it / Khiếu nại theo góc nhìn khách hàng' },
);

/** Health check body (its own shape, also on 503). */
const THealth = Type.Object({ status: Type.String({ enum: ['ok', 'unavailable'] }), database: Type.String({ enum: ['pglite', 'postgres'] }) });

const SHARED_SCHEMAS = {
  Error: TError,
  PortalComplaintReceipt: TPortalComplaintReceipt,
  PortalComplaintView: TPortalComplaintView,
  Health: THealth,
} satisfies Record<string, TSchema>;

// ——— Answers ———

const RETRY_AFTER: Record<string, OpenAPIV3.HeaderObject> = {
  'Retry-After': { description: 'Seconds to wait before trying again / Số giây chờ trước khi thử lại', schema: { type: 'integer' } },
};

const LOCATION: Record<string, OpenAPIV3.HeaderObject> = {
  Location: { description: 'The API address of the complaint / Địa chỉ API của khiếu nại', schema: { type: 'string' } },
};

const OK: Answer = { status: 200, en: 'Done.', vi: 'Thành công.' };
const CREATED: Answer = { status: 201, en: 'Created.', vi: 'Đã tạo.' };
const NO_CONTENT: Answer = { status: 204, en: 'Done; no body.', vi: 'Đã thực hiện; không có nội dung.' };
const REPLAYED: Answer = {
  status: 200,
  en: 'The same request again (same Idempotency-Key and body): what the first one made; nothing new is made.',
  vi: 'Gửi lại cùng một yêu cầu (cùng Idempotency-Key và nội dung): kết quả của lần đầu, không tạo thêm.',
};

const STATUS_LINK_ERRORS: Answer[] = [
  { status: 403, en: 'The link is not valid (altered, incomplete or for something else).', vi: 'Liên kết không hợp lệ (bị sửa, thiếu hoặc không đúng).' },
  { status: 410, en: 'The link has expired or was replaced.', vi: 'Liên kết đã hết hạn hoặc đã được thay.' },
];
const COMPLAINT_CLOSED: Answer = {
  status: 409,
  en: 'The complaint is over (complaint_closed): reopen it or file a new one.',
  vi: 'Khiếu nại đã kết thúc (complaint_closed): hãy mở lại hoặc gửi khiếu nại mới.',
};

/**
 * Routes whose success is not a plain 200, and errors particular to a route, by "METHOD url" (Fastify's
 * `:param` form). A route that answers 201 or 204 must be listed: test/openapi.test.ts reads the route
 * handlers and fails when one is missing.
 */
export const ROUTE_ANSWERS: Record<string, RouteAnswers> = {
  'GET /healthz': {
    success: [{ status: 200, en: 'The database answers.', vi: 'Cơ sở dữ liệu hoạt động.', body: 'Health' }],
    errors: [{ status: 503, en: 'The database does not answer.', vi: 'Cơ sở dữ liệu không phản hồi.', body: 'Health', headers: RETRY_AFTER }],
  },
  'POST /api/v1/auth/login': {
    errors: [{ status: 401, en: 'Wrong email or password (invalid_credentials).', vi: 'Sai email hoặc mật khẩu (invalid_credentials).' }],
  },
  'POST /api/v1/auth/logout': { success: [NO_CONTENT], errors: [{ status: 403, en: 'A live session needs its CSRF token.', vi: 'Phiên đang hoạt động cần mã CSRF.' }] },
  'POST /api/v1/auth/tokens': { success: [{ ...CREATED, en: 'Created; the token is shown this once.', vi: 'Đã tạo; mã chỉ hiện một lần.' }] },
  'DELETE /api/v1/auth/tokens/:id': { success: [NO_CONTENT] },
  'DELETE /api/v1/complaints/:code/presence': { success: [NO_CONTENT] },
  'POST /api/v1/views': { success: [CREATED] },
  'DELETE /api/v1/views/:id': { success: [NO_CONTENT] },
  'POST /api/v1/complaints/:code/reminders': { success: [CREATED] },
  'DELETE /api/v1/reminders/:id': { success: [NO_CONTENT] },
  'POST /api/v1/auth/password': { success: [NO_CONTENT] },
  'POST /api/v1/webhooks/call-center': {
    errors: [
      { status: 401, en: 'Missing or wrong signature, or older than 5 minutes.', vi: 'Thiếu hoặc sai chữ ký, hoặc quá 5 phút.' },
      { status: 404, en: 'No call-centre secret is configured.', vi: 'Chưa cấu hình khoá bí mật tổng đài.' },
    ],
  },
  // Customer portal.
  'POST /api/v1/portal/complaints': {
    success: [
      { ...CREATED, en: 'The complaint is filed; header Location is its address in the API.', vi: 'Đã tiếp nhận khiếu nại; header Location là địa chỉ của nó trong API.', body: 'PortalComplaintReceipt', headers: LOCATION },
      { ...REPLAYED, body: 'PortalComplaintReceipt', headers: LOCATION },
    ],
  },
  'GET /api/v1/portal/complaints/:code': {
    success: [{ ...OK, en: 'The complaint as its customer sees it.', vi: 'Khiếu nại theo góc nhìn khách hàng.', body: 'PortalComplaintView' }],
  },
  'POST /api/v1/portal/status-links/verify': { errors: STATUS_LINK_ERRORS },
  'POST /api/v1/portal/complaints/:code/messages': {
    success: [
      { ...CREATED, en: 'The message is stored; the complaint as its customer sees it.', vi: 'Đã lưu tin nhắn; khiếu nại theo góc nhìn khách hàng.', body: 'PortalComplaintView' },
      { status: 200, en: 'The same text was sent in the last ten minutes: not stored again.', vi: 'Cùng nội dung đã gửi trong 10 phút: không lưu lại.', body: 'PortalComplaintView' },
    ],
    errors: [COMPLAINT_CLOSED],
  },
  'POST /api/v1/portal/complaints/:code/withdraw': {
    success: [{ ...OK, en: 'Withdrawn (or already withdrawn).', vi: 'Đã rút (hoặc đã rút trước đó).', body: 'PortalComplaintView' }],
    errors: [{ status: 409, en: 'Cannot be withdrawn at this step (withdrawal_not_possible).', vi: 'Không thể rút ở bước này (withdrawal_not_possible).' }],
  },
  'POST /api/v1/portal/complaints/:code/attachments': { success: [{ ...CREATED, body: 'PortalComplaintView' }], errors: [COMPLAINT_CLOSED] },
  'POST /api/v1/portal/complaints/:code/information': { success: [CREATED, REPLAYED] },
  'POST /api/v1/portal/complaints/:code/survey': { success: [CREATED] },
  'POST /api/v1/portal/complaints/:code/reopen': {
    success: [
      { status: 201, en: 'After the reopen window: a new complaint linked to this one.', vi: 'Quá thời hạn mở lại: một khiếu nại mới liên kết với khiếu nại này.' },
      { status: 200, en: 'Reopened within the window (the same complaint), or the same request again.', vi: 'Đã mở lại trong thời hạn (cùng khiếu nại), hoặc yêu cầu gửi lại.' },
    ],
  },
  // Signed links (outside parties, surveys).
  'GET /api/v1/public/surveys/*': { errors: STATUS_LINK_ERRORS },
  'POST /api/v1/public/surveys/*': { success: [CREATED], errors: [...STATUS_LINK_ERRORS, { status: 409, en: 'Already answered.', vi: 'Đã trả lời.' }] },
  'GET /api/v1/public/consultations/*': { errors: STATUS_LINK_ERRORS },
  'GET /api/v1/public/consultation-files/:sha256/*': { errors: STATUS_LINK_ERRORS },
  'POST /api/v1/public/consultations/*': { success: [CREATED], errors: [...STATUS_LINK_ERRORS, { status: 409, en: 'Already answered.', vi: 'Đã trả lời.' }] },
  // Staff.
  'POST /api/v1/complaints': { success: [CREATED, REPLAYED] },
  'PATCH /api/v1/customers/:id': {
    errors: [
      {
        status: 409,
        en: 'Another customer has this phone or email (contact_taken, `fields` names which), or the customer was erased (customer_anonymised): nothing changed.',
        vi: 'Số điện thoại hoặc email đã thuộc về khách hàng khác (contact_taken, `fields` nêu trường nào), hoặc khách hàng đã được ẩn danh (customer_anonymised): không có gì thay đổi.',
      },
    ],
  },
  'POST /api/v1/complaints/:code/confirm-contact': {
    errors: [
      {
        status: 409,
        en: 'Another customer has this phone or email (contact_taken): nothing changed.',
        vi: 'Số điện thoại hoặc email đã thuộc về khách hàng khác (contact_taken): không có gì thay đổi.',
      },
    ],
  },
  'POST /api/v1/complaints/:code/notes': { success: [CREATED] },
  'POST /api/v1/complaints/:code/contacts': { success: [CREATED] },
  'POST /api/v1/complaints/:code/survey-answer': {
    success: [CREATED],
    errors: [
      { status: 404, en: 'No such complaint, or no survey yet (survey_not_found).', vi: 'Không có khiếu nại, hoặc chưa có khảo sát (survey_not_found).' },
      { status: 409, en: 'The survey was answered already (survey_already_answered).', vi: 'Khảo sát đã được trả lời (survey_already_answered).' },
    ],
  },
  'POST /api/v1/complaints/:code/replies': {
    success: [CREATED],
    errors: [
      {
        status: 409,
        en: 'The customer has no email on file (customer_has_no_email), or a colleague contacted them after afterEvent (reply_collision, with contact {type, by, at}): nothing sent.',
        vi: 'Khách hàng chưa có email trong hồ sơ (customer_has_no_email), hoặc một đồng nghiệp đã liên hệ khách sau afterEvent (reply_collision, kèm contact {type, by, at}): không gửi gì.',
      },
    ],
  },
  'POST /api/v1/complaints/:code/attachments': { success: [CREATED] },
  'POST /api/v1/complaints/:code/information-requests': { success: [CREATED, REPLAYED] },
  'POST /api/v1/complaints/:code/consultations': { success: [CREATED, REPLAYED] },
  'POST /api/v1/complaints/:code/proposals': { success: [CREATED, REPLAYED] },
  'POST /api/v1/complaints/:code/escalations': { success: [CREATED] },
  'POST /api/v1/complaints/:code/reopen': {
    success: [
      { status: 201, en: 'After the reopen window: a new linked complaint.', vi: 'Quá thời hạn mở lại: khiếu nại mới liên kết.' },
      { status: 200, en: 'Reopened within the window (the same complaint), or the same request again.', vi: 'Đã mở lại trong thời hạn (cùng khiếu nại), hoặc yêu cầu gửi lại.' },
    ],
  },
  'POST /api/v1/consultations/:id/answer': { success: [CREATED] },
  'POST /api/v1/calls': { success: [CREATED] },
  'POST /api/v1/inbound-rejects/:id/convert': { success: [CREATED] },
  'POST /api/v1/categories': { success: [CREATED] },
  'POST /api/v1/reply-templates': { success: [CREATED] },
  'POST /api/v1/routing-rules': { success: [CREATED] },
  'POST /api/v1/complaints/:code/sms': { success: [CREATED] },
  'DELETE /api/v1/routing-rules/:id': { success: [NO_CONTENT] },
  'POST /api/v1/users': { success: [CREATED] },
  'POST /api/v1/teams': { success: [CREATED] },
  'POST /api/v1/authorities': { success: [CREATED] },
  'POST /api/v1/root-causes': { success: [CREATED] },
  'POST /api/v1/corrective-actions': { success: [CREATED] },
  'POST /api/v1/data-requests': { success: [CREATED] },
  'POST /api/v1/data-breaches': { success: [CREATED] },
  'POST /api/v1/admin/backups': { success: [CREATED] },
};

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The errors every route of its kind can answer, read from the route itself (method, params, auth, limits). */
function genericErrors(method: string, url: string, route: RouteOptions, schema: FastifySchema): Answer[] {
  const takesBody = BODY_METHODS.has(method) || schema.body !== undefined;
  const staff = routeAbility(route.preValidation) !== undefined;
  const hasParams = /[:*]/.test(url);
  const out: Answer[] = [];
  if (takesBody) {
    out.push({ status: 400, en: 'The body could not be read (broken JSON or multipart).', vi: 'Không đọc được nội dung gửi lên (JSON hoặc multipart hỏng).' });
  }
  if (staff) {
    out.push(
      { status: 401, en: 'Not logged in: a session cookie or an API token (Authorization: Bearer) is needed.', vi: 'Chưa đăng nhập: cần cookie phiên hoặc mã API (Authorization: Bearer).' },
      { status: 403, en: 'Your role may not do this, or a write with a session cookie lacks its X-CSRF-Token.', vi: 'Vai trò không được phép, hoặc thao tác ghi bằng cookie phiên thiếu X-CSRF-Token.' },
    );
  }
  if (hasParams) {
    out.push(
      url.startsWith('/api/v1/portal/complaints/:code')
        ? { status: 404, en: 'No such complaint, or the phone/email is not the one it was filed with.', vi: 'Không có khiếu nại này, hoặc số điện thoại/email không khớp.' }
        : { status: 404, en: 'Not found.', vi: 'Không tìm thấy.' },
    );
  }
  // Staff writes keep their Idempotency-Key's first answer (idempotency.ts) unless the route keeps its keys itself.
  if (staff && (takesBody || method === 'DELETE') && route.config?.idempotency !== 'own') {
    out.push({
      status: 409,
      en: 'Idempotency-Key: the first request with this key is still running (retry later), or its answer is not kept (idempotency_key_used).',
      vi: 'Idempotency-Key: yêu cầu đầu tiên với khoá này vẫn đang chạy (thử lại sau), hoặc kết quả không được lưu (idempotency_key_used).',
      headers: RETRY_AFTER,
    });
  }
  if (takesBody) {
    out.push(
      { status: 413, en: 'The body is too large.', vi: 'Nội dung gửi lên quá lớn.' },
      { status: 415, en: 'Unsupported content type (application/json, or multipart/form-data where files are taken).', vi: 'Định dạng nội dung không được hỗ trợ (application/json, hoặc multipart/form-data khi gửi tệp).' },
    );
  }
  if (takesBody || schema.querystring || schema.params || schema.headers) {
    out.push({ status: 422, en: 'The request is not valid: `fields` names each field at fault.', vi: 'Dữ liệu không hợp lệ: `fields` nêu từng trường sai.' });
  }
  if (route.config?.rateLimit || route.config?.contactChecked) {
    out.push({ status: 429, en: 'Too many requests: wait for Retry-After.', vi: 'Quá nhiều yêu cầu: hãy chờ theo Retry-After.', headers: RETRY_AFTER });
  }
  out.push({ status: 503, en: 'The database is unavailable: retry after Retry-After.', vi: 'Cơ sở dữ liệu tạm thời không sẵn sàng: thử lại sau Retry-After.', headers: RETRY_AFTER });
  return out;
}

/** The route's answers, the route's own ones first (a route's 404 or 409 says more than the generic one). */
function answersOf(route: RouteOptions, url: string, schema: FastifySchema): Answer[] {
  const method = ([] as string[]).concat(route.method)[0];
  const own = ROUTE_ANSWERS[`${method} ${url}`] ?? {};
  const answers = [...(own.success ?? [OK]), ...(own.errors ?? [])];
  for (const a of genericErrors(method, url, route, schema)) {
    const at = answers.findIndex((x) => x.status === a.status);
    if (at < 0) answers.push(a);
    // The route's own 503 (the health check's) stands alone; another status tells both reasons.
    else if (a.status !== 503) {
      const same = answers[at];
      answers[at] = { ...same, en: `${same.en} ${a.en}`, vi: `${same.vi} ${a.vi}`, headers: same.headers ?? a.headers };
    }
  }
  return answers.sort((a, b) => a.status - b.status);
}

/** The portal intake's `consent`: optional in the schema on purpose (a missing one is the field error consent_required), so its description says it must be true. */
const CONSENT_DESCRIPTION =
  'Must be true: consent to the processing of personal data. Left out or false → 422 with field error consent_required. / ' +
  'Bắt buộc là true: đồng ý cho xử lý dữ liệu cá nhân. Thiếu hoặc false → 422, lỗi trường consent_required.';

function withConsentDescription(body: unknown): unknown {
  const b = body as { properties?: Record<string, object> } | undefined;
  if (!b?.properties?.consent) return body;
  return { ...b, properties: { ...b.properties, consent: { ...b.properties.consent, description: CONSENT_DESCRIPTION } } };
}

/** @fastify/swagger `transform`: a copy of the route's schema carrying its answers (the route's own schema is never changed). */
export const transformRoute: SwaggerTransform = ({ schema, url, route }) => {
  const source = (schema ?? {}) as FastifySchema;
  const copy: FastifySchema & Record<string, unknown> = { ...source, [ANSWERS_KEY]: answersOf(route, url, source) };
  if (url === '/api/v1/portal/complaints' && ([] as string[]).concat(route.method).includes('POST')) copy.body = withConsentDescription(source.body);
  return { schema: copy, url };
};

function toResponse(a: Answer, existing: OpenAPIV3.ResponseObject | undefined): OpenAPIV3.ResponseObject {
  const schemaName = a.body ?? (a.status >= 400 ? 'Error' : undefined);
  const content = schemaName
    ? { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } }
    : existing?.content; // a schema the route declared itself (rare) stays
  return { description: `${a.en}\n\n${a.vi}`, ...(a.headers ? { headers: a.headers } : {}), ...(content ? { content } : {}) };
}

/** @fastify/swagger `transformObject`: each operation's answers become its `responses`; the shared schemas are added. */
export const transformDocument: SwaggerTransformObject = (documentObject) => {
  if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
  const doc = documentObject.openapiObject as OpenAPIV3.Document;
  doc.components ??= {};
  doc.components.schemas = { ...doc.components.schemas, ...(JSON.parse(JSON.stringify(SHARED_SCHEMAS)) as Record<string, OpenAPIV3.SchemaObject>) };
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item ?? {}) as (OpenAPIV3.OperationObject & { [ANSWERS_KEY]?: Answer[] })[]) {
      const answers = op && typeof op === 'object' ? op[ANSWERS_KEY] : undefined;
      if (!answers) continue;
      const before = op.responses as Record<string, OpenAPIV3.ResponseObject>;
      // An answer a route declared itself (a Fastify response schema) is kept even if the table forgot it.
      const declared = Object.entries(before).filter(([status, r]) => !(status === '200' && r.description === 'Default Response' && !r.content));
      op.responses = { ...Object.fromEntries(declared), ...Object.fromEntries(answers.map((a) => [String(a.status), toResponse(a, before[String(a.status)])])) };
      delete op[ANSWERS_KEY];
    }
  }
  return doc;
};
