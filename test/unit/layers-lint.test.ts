// The project's own ESLint configuration refuses each forbidden import, at any depth, and lets
// the allowed ones through: snippets linted as if they were files at realistic paths.
import { ESLint } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The rules under test; others (unused imports in a snippet) are beside the point. */
const BOUNDARY_RULES = ['settle/layers', 'no-restricted-imports', 'no-restricted-globals'];

let eslint: ESLint;
beforeAll(() => {
  // Type-aware rules need the file on disk; the boundary rules read only the syntax.
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: { files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked },
  });
});

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages
    .filter((m) => m.ruleId !== null && BOUNDARY_RULES.includes(m.ruleId))
    .map((m) => m.ruleId!);
}

interface Case {
  file: string;
  code: string;
  /** The rule that must refuse it; null when it must pass. */
  refusedBy: string | null;
}

const cases: Record<string, Case> = {
  // workflows/: workflows and domain, activities only as types
  'a workflow phase importing an activity module two levels up': {
    file: 'workflows/phases/x.ts',
    code: "import { reviewDisputeId } from '../../activities/scan';\nexport const id = reviewDisputeId;",
    refusedBy: 'settle/layers',
  },
  'a workflow phase importing the activities index': {
    file: 'workflows/phases/x.ts',
    code: "import { createActivities } from '../../activities';\nexport const c = createActivities;",
    refusedBy: 'settle/layers',
  },
  'a workflow phase importing the activities index by a detour': {
    file: 'workflows/phases/x.ts',
    code: "import { createActivities } from '../phases/../../activities';\nexport const c = createActivities;",
    refusedBy: 'settle/layers',
  },
  'a workflow importing activities with inline type specifiers, not import type': {
    file: 'workflows/x.ts',
    code: "import { type ScanPage } from '../activities/scan';\nexport type P = ScanPage;",
    refusedBy: 'settle/layers',
  },
  'a workflow phase importing activity types with import type': {
    file: 'workflows/phases/x.ts',
    code: "import type { createActivities } from '../../activities';\nexport type A = ReturnType<typeof createActivities>;",
    refusedBy: null,
  },
  'a workflow naming an activity type through import()': {
    file: 'workflows/phases/x.ts',
    code: "export type P = import('../../activities/scan').ScanPage;",
    refusedBy: null,
  },
  'a workflow phase importing workflows/activities.ts (its proxies)': {
    file: 'workflows/phases/x.ts',
    code: "import * as activities from '../activities';\nexport const a = activities;",
    refusedBy: null,
  },
  'a workflow re-exporting from store/': {
    file: 'workflows/x.ts',
    code: "export { createPrisma } from '../store/db';",
    refusedBy: 'settle/layers',
  },
  'a workflow loading email/ dynamically': {
    file: 'workflows/phases/x.ts',
    code: "export const render = async (): Promise<unknown> => import('../../email/render');",
    refusedBy: 'settle/layers',
  },
  'a workflow importing a Node built-in': {
    file: 'workflows/phases/x.ts',
    code: "import { setTimeout } from 'node:timers/promises';\nexport const s = setTimeout;",
    refusedBy: 'no-restricted-imports',
  },
  'a workflow reading process.env': {
    file: 'workflows/x.ts',
    code: 'export const level = process.env.LOG_LEVEL;',
    refusedBy: 'no-restricted-globals',
  },
  // domain/: only itself
  'domain importing workflow state': {
    file: 'domain/ledger/x.ts',
    code: "import type { DisputeView } from '../../workflows/state';\nexport type V = DisputeView;",
    refusedBy: 'settle/layers',
  },
  'domain importing Temporal': {
    file: 'domain/x.ts',
    code: "import { sleep } from '@temporalio/workflow';\nexport const s = sleep;",
    refusedBy: 'no-restricted-imports',
  },
  // store/: domain and the generated client
  'store importing the API, even as types': {
    file: 'store/ledger/x.ts',
    code: "import type { CustomerLedgerDto } from '../../api/ledger/schemas';\nexport type L = CustomerLedgerDto;",
    refusedBy: 'settle/layers',
  },
  'store importing email/': {
    file: 'store/x.ts',
    code: "import { renderEmail } from '../email/render';\nexport const r = renderEmail;",
    refusedBy: 'settle/layers',
  },
  'store importing config.ts': {
    file: 'store/x.ts',
    code: "import { loadConfig } from '../config';\nexport const c = loadConfig;",
    refusedBy: 'settle/layers',
  },
  'store importing Temporal': {
    file: 'store/x.ts',
    code: "import { log } from '@temporalio/activity';\nexport const l = log;",
    refusedBy: 'no-restricted-imports',
  },
  'store importing the generated Prisma client': {
    file: 'store/x.ts',
    code: "import { PrismaClient } from '../prisma/generated/sqlite/index.js';\nexport const p = PrismaClient;",
    refusedBy: null,
  },
  // email/: domain only, no I/O
  'email importing store/': {
    file: 'email/templates/x.ts',
    code: "import type { Db } from '../../store/db';\nexport type D = Db;",
    refusedBy: 'settle/layers',
  },
  'email reading a file': {
    file: 'email/x.ts',
    code: "import { readFile } from 'node:fs/promises';\nexport const r = readFile;",
    refusedBy: 'no-restricted-imports',
  },
  'email importing nodemailer': {
    file: 'email/x.ts',
    code: "import nodemailer from 'nodemailer';\nexport const n = nodemailer;",
    refusedBy: 'no-restricted-imports',
  },
  // activities/: workflows, store, email, domain
  'an activity importing store/ and email/': {
    file: 'activities/x.ts',
    code: "import { recordDisputeEvent } from '../store/disputes/events';\nimport { renderEmail } from '../email/render';\nexport const both = [recordDisputeEvent, renderEmail];",
    refusedBy: null,
  },
  'an activity importing the API': {
    file: 'activities/x.ts',
    code: "import { unprocessable } from '../api/http/errors';\nexport const u = unprocessable;",
    refusedBy: 'settle/layers',
  },
  'an activity importing config.ts': {
    file: 'activities/x.ts',
    code: "import { loadConfig } from '../config';\nexport const c = loadConfig;",
    refusedBy: 'settle/layers',
  },
  'an activity importing the worker': {
    file: 'activities/x.ts',
    code: "import { workflowsPath } from '../workers/create-worker';\nexport const w = workflowsPath;",
    refusedBy: 'settle/layers',
  },
  'an activity importing the generated Prisma client instead of store/': {
    file: 'activities/x.ts',
    code: "import { PrismaClient } from '../prisma/generated/sqlite/index.js';\nexport const p = PrismaClient;",
    refusedBy: 'settle/layers',
  },
  'an activity importing tooling': {
    file: 'activities/x.ts',
    code: "import { LAYERS } from '../scripts/layers.js';\nexport const l = LAYERS;",
    refusedBy: 'settle/layers',
  },
  // api/ and workers/: everything below, config, not each other
  'the API importing config, workflows and store': {
    file: 'api/disputes/x.ts',
    code: "import { ROLES } from '../../config';\nimport { noteUpdate } from '../../workflows/messages';\nimport { listDisputes } from '../../store/disputes/list';\nexport const all = [ROLES, noteUpdate, listDisputes];",
    refusedBy: null,
  },
  'the API importing the worker': {
    file: 'api/x.ts',
    code: "import { createDisputeWorker } from '../workers/create-worker';\nexport const w = createDisputeWorker;",
    refusedBy: 'settle/layers',
  },
  'the worker importing the API': {
    file: 'workers/x.ts',
    code: "import { buildApp } from '../api/app';\nexport const b = buildApp;",
    refusedBy: 'settle/layers',
  },
  'config.ts importing the API': {
    file: 'config.ts',
    code: "import { API_VERSION } from './api/app';\nexport const v = API_VERSION;",
    refusedBy: 'settle/layers',
  },
  // tooling may import anything
  'a script importing the API and the worker': {
    file: 'scripts/x.ts',
    code: "import { buildApp } from '../api/app';\nimport { createDisputeWorker } from '../workers/create-worker';\nexport const both = [buildApp, createDisputeWorker];",
    refusedBy: null,
  },
};

describe('the boundary lint rules', () => {
  it.each(Object.entries(cases))('%s', async (_, { file, code, refusedBy }) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toEqual(refusedBy === null ? [] : [refusedBy]);
  });
});
