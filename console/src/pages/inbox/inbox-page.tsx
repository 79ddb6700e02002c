// The inbox: disputes that need someone, soonest deadline first. View, phase and search live in
// the URL, so any view can be bookmarked and shared; further pages load below without a reload.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap, type ListQuery } from '../../server/client';
import { PHASES } from '../../server/vocabulary';
import { SelectField, TextField } from '../../components/fields';
import { usePageTitle } from '../../components/page-title';
import { Problem } from '../../components/problem';
import { phaseWords } from '../../format/words';
import { useSession } from '../../session/me';
import { InboxTable } from './inbox-table';
import { DEFAULT_VIEW, VIEWS } from './views';

const PAGE_SIZE = 50;

export function InboxPage(): ReactNode {
  const { me, can } = useSession();
  const [params, setParams] = useSearchParams();
  // Until GET /v1/me answers, a view that needs the role is taken as asked and waits for it.
  const views = VIEWS.filter((v) => !v.requires || !me || can(v.requires));
  const view = views.find((v) => v.id === params.get('view')) ?? views[0]!;
  const phaseParam = params.get('phase');
  const phase = PHASES.find((p) => p === phaseParam);
  const q = params.get('q') ?? '';
  const [approved, setApproved] = useState<string | null>(null);
  usePageTitle(`Inbox: ${view.label}`);

  const base = view.query(me);
  const query: ListQuery = {
    ...base,
    ...(phase ? { phase } : {}),
    ...(q ? { q } : {}),
    limit: PAGE_SIZE,
  };
  const list = useInfiniteQuery({
    queryKey: ['disputes', query],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/disputes', {
          params: { query: { ...query, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: 30_000,
    enabled: base !== null,
  });

  const update = (changes: Record<string, string | null>): void => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  useEffect(() => {
    // For the benchmark and for anyone profiling: the moment the first page is on screen.
    if (list.isSuccess && !performance.getEntriesByName('inbox-ready').length)
      performance.mark('inbox-ready');
  }, [list.isSuccess]);

  const hrefOf = (id: string): string => {
    const next = new URLSearchParams(params);
    if (id === DEFAULT_VIEW) next.delete('view');
    else next.set('view', id);
    const text = next.toString();
    return text ? `/?${text}` : '/';
  };

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">Inbox</h1>
      <nav aria-label="Inbox views" className="views">
        <ul>
          {views.map((v) => (
            <li key={v.id}>
              <Link to={hrefOf(v.id)} aria-current={v.id === view.id ? 'page' : undefined}>
                {v.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="filters">
        {/* Keyed by the URL's search: going back or following a link shows its text. */}
        <SearchForm key={q} initial={q} onSearch={(text) => update({ q: text || null })} />
        <SelectField
          label="Phase"
          value={phase ?? ''}
          onValue={(value) => update({ phase: value || null })}
          options={[
            { value: '', label: 'Any phase' },
            ...PHASES.map((p) => ({ value: p, label: phaseWords(p) })),
          ]}
        />
      </div>
      <Problem error={list.error} />
      <p className="count" aria-live="polite">
        {list.isPending
          ? 'Loading…'
          : `${String(items.length)}${list.hasNextPage ? '+' : ''} ${items.length === 1 ? 'dispute' : 'disputes'}: ${view.label.toLowerCase()}${q ? ` matching “${q}”` : ''}`}
      </p>
      {approved ? (
        <p role="status" className="success">
          {approved}
        </p>
      ) : null}
      {items.length > 0 ? (
        <InboxTable items={items} approvals={view.id === 'approval'} onApproved={setApproved} />
      ) : null}
      {list.isSuccess && items.length === 0 ? (
        <p className="empty">
          Nothing here.{' '}
          {view.id !== 'all' ? <Link to={hrefOf('all')}>See all disputes</Link> : null}
        </p>
      ) : null}
      {list.hasNextPage ? (
        <button
          type="button"
          className="secondary load-more"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </section>
  );
}

function SearchForm({
  initial,
  onSearch,
}: {
  initial: string;
  onSearch: (text: string) => void;
}): ReactNode {
  const [search, setSearch] = useState(initial);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onSearch(search.trim());
  };
  return (
    <form role="search" onSubmit={submit} className="search">
      <TextField
        label="Search"
        hint="Case number, customer or invoice"
        type="search"
        value={search}
        onValue={setSearch}
        maxLength={100}
      />
      <button type="submit">Search</button>
      {initial ? (
        <button type="button" className="secondary" onClick={() => onSearch('')}>
          Clear search
        </button>
      ) : null}
    </form>
  );
}
