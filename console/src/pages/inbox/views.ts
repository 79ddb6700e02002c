// The inbox's views: each a bookmarkable `?view=` with the list query it stands for.
import type { ListQuery, Me, OperationId } from '../../server/client';

export interface InboxView {
  id: string;
  label: string;
  /** Who sees the view; every view needs the list itself. */
  requires?: OperationId;
  /** The list query; null while the view needs GET /v1/me's answer and it has not come. */
  query(me: Me | null): ListQuery | null;
}

export const VIEWS: readonly InboxView[] = [
  {
    id: 'attention',
    label: 'Needs attention',
    query: () => ({ state: 'waiting', sort: 'deadline' }),
  },
  {
    id: 'mine',
    label: 'Mine',
    query: (me) => (me ? { assignee: me.actor, state: 'open', sort: 'deadline' } : null),
  },
  {
    id: 'unassigned',
    label: 'Unassigned',
    query: () => ({ unassigned: 'true', state: 'open', sort: 'deadline' }),
  },
  {
    id: 'approval',
    label: 'Awaiting my approval',
    requires: 'postV1DisputesIdApproval',
    query: (me) => (me ? { phase: 'awaiting_approval', sort: 'deadline' } : null),
  },
  {
    id: 'escalated',
    label: 'Escalated',
    query: () => ({ escalated: 'true', state: 'open', sort: 'deadline' }),
  },
  { id: 'overdue', label: 'Overdue', query: () => ({ overdue: 'true', sort: 'deadline' }) },
  { id: 'all', label: 'All disputes', query: () => ({ sort: 'opened' }) },
];

export const DEFAULT_VIEW = 'attention';
