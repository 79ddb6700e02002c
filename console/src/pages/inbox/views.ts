// The inbox's views: each a bookmarkable `?view=` with the list query it stands for.
import type { ListQuery, Me, OperationId } from '../../server/client';

export interface InboxView {
  id: string;
  label: string;
  /** Who sees the view; every view needs the list itself. */
  requires?: OperationId;
  query(me: Me): ListQuery;
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
    query: (me) => ({ assignee: me.actor, state: 'open', sort: 'deadline' }),
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
    query: () => ({ phase: 'awaiting_approval', sort: 'deadline' }),
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
