// The dispute page's data. While the workflow works on its own (investigating, correcting…) the
// page polls quickly, so the new state appears without a reload; otherwise slowly.
import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { api, unwrap, type Dispute, type EmailList, type Invoice } from '../../server/client';

const WORKING_PHASES = new Set(['acknowledging', 'investigating', 'correcting']);

export function useDispute(id: string): UseQueryResult<Dispute> {
  return useQuery({
    queryKey: ['dispute', id],
    queryFn: () => unwrap(api.GET('/v1/disputes/{id}', { params: { path: { id } } })),
    // Another person may act on a waiting dispute at any time; a closed one rarely changes.
    refetchInterval: (query) => {
      const phase = query.state.data?.phase;
      if (phase && WORKING_PHASES.has(phase)) return 1_000;
      return phase === 'closed' ? 30_000 : 5_000;
    },
  });
}

export function useInvoice(id: string | undefined): UseQueryResult<Invoice> {
  return useQuery({
    queryKey: ['invoice', id],
    queryFn: () => unwrap(api.GET('/v1/invoices/{id}', { params: { path: { id: id! } } })),
    enabled: id !== undefined,
    staleTime: 60_000,
  });
}

export function useEmails(id: string, pending: boolean): UseQueryResult<EmailList> {
  return useQuery({
    queryKey: ['dispute', id, 'emails'],
    queryFn: () => unwrap(api.GET('/v1/disputes/{id}/emails', { params: { path: { id } } })),
    refetchInterval: pending ? 2_000 : 30_000,
  });
}

/** After an action: the answer is the new state; emails and lists follow. */
export function useAfterAction(id: string): (updated: Dispute | null) => Promise<void> {
  const client = useQueryClient();
  return async (updated) => {
    if (updated) client.setQueryData(['dispute', id], updated);
    await Promise.all([
      updated ? null : client.invalidateQueries({ queryKey: ['dispute', id], exact: true }),
      client.invalidateQueries({ queryKey: ['dispute', id, 'emails'] }),
      client.invalidateQueries({ queryKey: ['disputes'] }),
      client.invalidateQueries({ queryKey: ['ledger'] }),
    ]);
  };
}
