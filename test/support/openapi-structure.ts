// A structural check of an OpenAPI 3.1 document: the fixed fields, required members and value
// kinds of the OpenAPI 3.1.0 specification's objects, and JSON Schema 2020-12 keyword shapes for
// every schema. Returns one message per problem, each with its JSON pointer.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isExtension = (key: string): boolean => key.startsWith('x-');
const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

const ROOT_FIELDS = [
  'openapi',
  'info',
  'jsonSchemaDialect',
  'servers',
  'paths',
  'webhooks',
  'components',
  'security',
  'tags',
  'externalDocs',
];
const PATH_ITEM_FIELDS = ['$ref', 'summary', 'description', 'servers', 'parameters'];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const OPERATION_FIELDS = [
  'tags',
  'summary',
  'description',
  'externalDocs',
  'operationId',
  'parameters',
  'requestBody',
  'responses',
  'callbacks',
  'deprecated',
  'security',
  'servers',
];
const PARAMETER_FIELDS = [
  'name',
  'in',
  'description',
  'required',
  'deprecated',
  'allowEmptyValue',
  'style',
  'explode',
  'allowReserved',
  'schema',
  'example',
  'examples',
  'content',
];
const RESPONSE_FIELDS = ['description', 'headers', 'content', 'links'];
const HEADER_FIELDS = PARAMETER_FIELDS.filter((f) => f !== 'name' && f !== 'in');
const MEDIA_TYPE_FIELDS = ['schema', 'example', 'examples', 'encoding'];
const COMPONENT_KINDS = [
  'schemas',
  'responses',
  'parameters',
  'examples',
  'requestBodies',
  'headers',
  'securitySchemes',
  'links',
  'callbacks',
  'pathItems',
];
const JSON_TYPES = ['null', 'boolean', 'object', 'array', 'number', 'string', 'integer'];
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const SCHEMA_ARRAYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_SINGLES = [
  'items',
  'contains',
  'additionalProperties',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
];
const NUMBER_KEYWORDS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
];
const COUNT_KEYWORDS = [
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minContains',
  'maxContains',
];

export function openApiProblems(document: unknown): string[] {
  const problems: string[] = [];
  const fail = (at: string, message: string): void =>
    void problems.push(`${at || '/'}: ${message}`);
  const onlyFields = (value: Json, allowed: readonly string[], at: string): void => {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key) && !isExtension(key))
        fail(`${at}/${escape(key)}`, 'is not a field of this object');
    }
  };
  const string = (value: Json, key: string, at: string, required: boolean): void => {
    if (value[key] === undefined) {
      if (required) fail(`${at}/${key}`, 'is required');
    } else if (typeof value[key] !== 'string') fail(`${at}/${key}`, 'must be a string');
  };

  const refs: string[] = [];
  const collectRefs = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => collectRefs(v, `${at}/${i}`));
    else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref') {
          if (typeof v === 'string') refs.push(v);
          else fail(`${at}/$ref`, 'must be a string');
        } else collectRefs(v, `${at}/${escape(k)}`);
      }
    }
  };

  const checkSchema = (schema: unknown, at: string): void => {
    if (typeof schema === 'boolean') return;
    if (!isObject(schema)) return fail(at, 'a schema must be an object or a boolean');
    const type = schema.type;
    if (type !== undefined) {
      const types = Array.isArray(type) ? type : [type];
      if (types.length === 0 || types.some((t) => typeof t !== 'string' || !JSON_TYPES.includes(t)))
        fail(`${at}/type`, `unknown type ${JSON.stringify(type)}`);
    }
    if (schema.required !== undefined) {
      const req = schema.required;
      if (
        !Array.isArray(req) ||
        req.some((r) => typeof r !== 'string') ||
        new Set(req).size !== req.length
      )
        fail(`${at}/required`, 'must be an array of unique strings');
    }
    if (schema.enum !== undefined && !Array.isArray(schema.enum))
      fail(`${at}/enum`, 'must be an array');
    if (Array.isArray(schema.items))
      fail(`${at}/items`, 'is a single schema in 2020-12 (use prefixItems for tuples)');
    if (schema.pattern !== undefined) {
      try {
        if (typeof schema.pattern !== 'string') throw new TypeError('not a string');
        new RegExp(schema.pattern, 'u');
      } catch {
        fail(`${at}/pattern`, 'is not a valid ECMA-262 regular expression');
      }
    }
    for (const key of NUMBER_KEYWORDS)
      if (schema[key] !== undefined && typeof schema[key] !== 'number')
        fail(`${at}/${key}`, 'must be a number');
    for (const key of COUNT_KEYWORDS) {
      const v = schema[key];
      if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0))
        fail(`${at}/${key}`, 'must be a non-negative integer');
    }
    for (const key of SCHEMA_MAPS) {
      const map = schema[key];
      if (map === undefined) continue;
      if (!isObject(map)) fail(`${at}/${key}`, 'must be an object of schemas');
      else
        for (const [name, sub] of Object.entries(map))
          checkSchema(sub, `${at}/${key}/${escape(name)}`);
    }
    for (const key of SCHEMA_ARRAYS) {
      const list = schema[key];
      if (list === undefined) continue;
      if (!Array.isArray(list) || list.length === 0)
        fail(`${at}/${key}`, 'must be a non-empty array of schemas');
      else list.forEach((sub, i) => checkSchema(sub, `${at}/${key}/${i}`));
    }
    for (const key of SCHEMA_SINGLES)
      if (schema[key] !== undefined && !Array.isArray(schema[key]))
        checkSchema(schema[key], `${at}/${key}`);
  };

  const checkContent = (content: unknown, at: string): void => {
    if (!isObject(content) || Object.keys(content).length === 0)
      return fail(at, 'must map at least one media type');
    for (const [type, media] of Object.entries(content)) {
      const mAt = `${at}/${escape(type)}`;
      if (!/^[\w.+-]+\/[\w.+*-]+/.test(type)) fail(mAt, 'is not a media type');
      if (!isObject(media)) {
        fail(mAt, 'must be a Media Type object');
        continue;
      }
      onlyFields(media, MEDIA_TYPE_FIELDS, mAt);
      if (media.schema !== undefined) checkSchema(media.schema, `${mAt}/schema`);
    }
  };

  const checkHeaderLike = (value: unknown, at: string, fields: readonly string[]): void => {
    if (!isObject(value)) return fail(at, 'must be an object');
    if (typeof value.$ref === 'string') return;
    onlyFields(value, fields, at);
    if ((value.schema === undefined) === (value.content === undefined))
      fail(at, 'needs exactly one of schema and content');
    if (value.schema !== undefined) checkSchema(value.schema, `${at}/schema`);
    if (value.content !== undefined) checkContent(value.content, `${at}/content`);
    if (value.required !== undefined && typeof value.required !== 'boolean')
      fail(`${at}/required`, 'must be a boolean');
  };

  const checkParameters = (
    list: unknown,
    at: string,
    pathParams: Set<string> | null,
  ): Set<string> => {
    const declaredPath = new Set<string>();
    if (list === undefined) return declaredPath;
    if (!Array.isArray(list)) {
      fail(at, 'must be an array');
      return declaredPath;
    }
    const seen = new Set<string>();
    list.forEach((p: unknown, i) => {
      const pAt = `${at}/${i}`;
      if (!isObject(p)) return fail(pAt, 'must be a Parameter object');
      if (typeof p.$ref === 'string') return;
      checkHeaderLike(p, pAt, PARAMETER_FIELDS);
      string(p, 'name', pAt, true);
      if (!['query', 'header', 'path', 'cookie'].includes(String(p.in)))
        fail(`${pAt}/in`, 'must be query, header, path or cookie');
      const key = `${String(p.in)}:${String(p.name)}`;
      if (seen.has(key)) fail(pAt, `duplicates parameter ${key}`);
      seen.add(key);
      if (p.in === 'path') {
        if (p.required !== true) fail(`${pAt}/required`, 'must be true for a path parameter');
        declaredPath.add(String(p.name));
        if (pathParams && !pathParams.has(String(p.name)))
          fail(pAt, `path parameter ${String(p.name)} is not in the path template`);
      }
    });
    return declaredPath;
  };

  if (!isObject(document)) return ['/: the document must be an object'];
  onlyFields(document, ROOT_FIELDS, '');
  if (typeof document.openapi !== 'string' || !/^3\.1\.\d+(-.+)?$/.test(document.openapi))
    fail('/openapi', 'must be a 3.1.x version string');
  if (document.jsonSchemaDialect !== undefined && typeof document.jsonSchemaDialect !== 'string')
    fail('/jsonSchemaDialect', 'must be a URI string');
  if (
    document.paths === undefined &&
    document.components === undefined &&
    document.webhooks === undefined
  )
    fail('', 'needs paths, components or webhooks');

  if (!isObject(document.info)) fail('/info', 'is required and must be an object');
  else {
    onlyFields(
      document.info,
      ['title', 'summary', 'description', 'termsOfService', 'contact', 'license', 'version'],
      '/info',
    );
    string(document.info, 'title', '/info', true);
    string(document.info, 'version', '/info', true);
  }
  if (document.servers !== undefined) {
    if (!Array.isArray(document.servers)) fail('/servers', 'must be an array');
    else
      document.servers.forEach((s: unknown, i) =>
        isObject(s)
          ? string(s, 'url', `/servers/${i}`, true)
          : fail(`/servers/${i}`, 'must be a Server object'),
      );
  }
  if (document.tags !== undefined) {
    if (!Array.isArray(document.tags)) fail('/tags', 'must be an array');
    else {
      const names = document.tags.map((t: unknown) => (isObject(t) ? t.name : undefined));
      names.forEach((n, i) => typeof n !== 'string' && fail(`/tags/${i}/name`, 'is required'));
      if (new Set(names).size !== names.length) fail('/tags', 'tag names must be unique');
    }
  }

  const components = isObject(document.components) ? document.components : {};
  if (document.components !== undefined) {
    if (!isObject(document.components)) fail('/components', 'must be an object');
    else {
      onlyFields(components, COMPONENT_KINDS, '/components');
      for (const kind of COMPONENT_KINDS) {
        const entries = components[kind];
        if (entries === undefined) continue;
        if (!isObject(entries)) {
          fail(`/components/${kind}`, 'must be an object');
          continue;
        }
        for (const [name, value] of Object.entries(entries)) {
          const at = `/components/${kind}/${escape(name)}`;
          if (!/^[a-zA-Z0-9.\-_]+$/.test(name))
            fail(at, 'component names are limited to a-z A-Z 0-9 . - _');
          if (kind === 'schemas') checkSchema(value, at);
          if (kind === 'headers') checkHeaderLike(value, at, HEADER_FIELDS);
        }
      }
    }
  }
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const [name, scheme] of Object.entries(schemes)) {
    const at = `/components/securitySchemes/${escape(name)}`;
    if (!isObject(scheme)) {
      fail(at, 'must be a Security Scheme object');
      continue;
    }
    if (!['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'].includes(String(scheme.type)))
      fail(`${at}/type`, 'unknown type');
    if (scheme.type === 'http') string(scheme, 'scheme', at, true);
    if (scheme.type === 'apiKey') {
      string(scheme, 'name', at, true);
      if (!['query', 'header', 'cookie'].includes(String(scheme.in)))
        fail(`${at}/in`, 'must be query, header or cookie');
    }
  }
  const checkSecurity = (security: unknown, at: string): void => {
    if (security === undefined) return;
    if (!Array.isArray(security))
      return fail(at, 'must be an array of Security Requirement objects');
    security.forEach((req: unknown, i) => {
      if (!isObject(req)) return fail(`${at}/${i}`, 'must be an object');
      for (const [name, scopes] of Object.entries(req)) {
        if (!(name in schemes))
          fail(`${at}/${i}/${escape(name)}`, 'names no security scheme of components');
        if (!Array.isArray(scopes))
          fail(`${at}/${i}/${escape(name)}`, 'must be an array of scopes');
      }
    });
  };
  checkSecurity(document.security, '/security');

  const operationIds = new Set<string>();
  if (document.paths !== undefined && !isObject(document.paths))
    fail('/paths', 'must be an object');
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    const at = `/paths/${escape(path)}`;
    if (!path.startsWith('/')) fail(at, 'paths start with /');
    if (!isObject(item)) {
      fail(at, 'must be a Path Item object');
      continue;
    }
    onlyFields(item, [...PATH_ITEM_FIELDS, ...METHODS], at);
    const template = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!));
    const shared = checkParameters(item.parameters, `${at}/parameters`, template);
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const oAt = `${at}/${method}`;
      if (!isObject(op)) {
        fail(oAt, 'must be an Operation object');
        continue;
      }
      onlyFields(op, OPERATION_FIELDS, oAt);
      if (
        op.tags !== undefined &&
        (!Array.isArray(op.tags) || op.tags.some((t) => typeof t !== 'string'))
      )
        fail(`${oAt}/tags`, 'must be an array of strings');
      if (op.operationId !== undefined) {
        if (typeof op.operationId !== 'string') fail(`${oAt}/operationId`, 'must be a string');
        else if (operationIds.has(op.operationId))
          fail(`${oAt}/operationId`, `duplicates ${op.operationId}`);
        else operationIds.add(op.operationId);
      }
      const declared = new Set([
        ...shared,
        ...checkParameters(op.parameters, `${oAt}/parameters`, template),
      ]);
      for (const name of template)
        if (!declared.has(name)) fail(oAt, `path parameter ${name} is not declared`);
      if (op.requestBody !== undefined) {
        const body = op.requestBody;
        if (!isObject(body)) fail(`${oAt}/requestBody`, 'must be a Request Body object');
        else if (typeof body.$ref !== 'string') {
          onlyFields(body, ['description', 'content', 'required'], `${oAt}/requestBody`);
          checkContent(body.content, `${oAt}/requestBody/content`);
        }
      }
      checkSecurity(op.security, `${oAt}/security`);
      if (!isObject(op.responses) || Object.keys(op.responses).length === 0) {
        fail(`${oAt}/responses`, 'must hold at least one response');
        continue;
      }
      for (const [status, response] of Object.entries(op.responses)) {
        const rAt = `${oAt}/responses/${escape(status)}`;
        if (status !== 'default' && !/^[1-5](\d\d|XX)$/.test(status) && !isExtension(status))
          fail(rAt, 'is not an HTTP status code');
        if (!isObject(response)) {
          fail(rAt, 'must be a Response object');
          continue;
        }
        if (typeof response.$ref === 'string') continue;
        onlyFields(response, RESPONSE_FIELDS, rAt);
        string(response, 'description', rAt, true);
        if (response.content !== undefined) checkContent(response.content, `${rAt}/content`);
        if (response.headers !== undefined) {
          if (!isObject(response.headers)) fail(`${rAt}/headers`, 'must be an object');
          else
            for (const [name, header] of Object.entries(response.headers))
              checkHeaderLike(header, `${rAt}/headers/${escape(name)}`, HEADER_FIELDS);
        }
      }
    }
  }

  collectRefs(document, '');
  for (const ref of refs) {
    if (!ref.startsWith('#/')) {
      fail('', `external $ref ${ref} cannot be checked here`);
      continue;
    }
    let target: unknown = document;
    for (const part of ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
      target = isObject(target) ? target[part] : undefined;
    }
    if (target === undefined) fail('', `$ref ${ref} does not resolve`);
  }
  return problems;
}
