// Open a dispute: find the customer, pick the invoice and the lines in question, say why. The
// request carries an Idempotency-Key, so a double submit opens one dispute.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../server/client';
import { REASONS, type Reason } from '../server/vocabulary';
import { SelectField, TextArea, TextField } from '../components/fields';
import { usePageTitle } from '../components/page-title';
import { NotAllowed, WaitingForRole } from '../components/not-allowed';
import { Problem } from '../components/problem';
import { keyFor, retryTransient } from '../server/idempotency';
import { useDebounced } from '../components/use-debounced';
import { formatMoney, moneyInput } from '../format/money';
import { formatDate } from '../format/time';
import { reasonWords } from '../format/words';
import { amountError } from './dispute/actions/decision-form';
import { serverFieldError } from './dispute/actions/use-action';
import { useSession } from '../session/me';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function NewDisputePage(): ReactNode {
  const { me, can } = useSession();
  if (!me) return <WaitingForRole />;
  if (!can('postV1Disputes')) return <NotAllowed title="New dispute" what="open disputes" />;
  return <NewDisputeForm />;
}

function NewDisputeForm(): ReactNode {
  usePageTitle('New dispute');
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [invoiceId, setInvoiceId] = useState('');
  const [lineIds, setLineIds] = useState<string[]>([]);
  const [reason, setReason] = useState<Reason>('pricing_error');
  const [description, setDescription] = useState('');
  const [claimed, setClaimed] = useState('');
  const [contactName, setContactName] = useState('');
  const [contactEmail, setContactEmail] = useState('');
  const [checked, setChecked] = useState(false);

  const term = useDebounced(search.trim());
  const customers = useQuery({
    queryKey: ['customers', term],
    queryFn: () =>
      unwrap(
        api.GET('/v1/customers', {
          params: { query: { ...(term ? { q: term } : {}), limit: 20 } },
        }),
      ),
  });
  const invoices = useQuery({
    queryKey: ['customer', customerId, 'invoices'],
    queryFn: () =>
      unwrap(
        api.GET('/v1/customers/{id}/invoices', {
          params: { path: { id: customerId }, query: { limit: 100 } },
        }),
      ),
    enabled: customerId !== '',
  });
  const invoice = useQuery({
    queryKey: ['invoice', invoiceId],
    queryFn: () => unwrap(api.GET('/v1/invoices/{id}', { params: { path: { id: invoiceId } } })),
    enabled: invoiceId !== '',
  });
  const currency = invoice.data?.currency ?? 'USD';

  // A key per submission: a retry after a lost answer opens one dispute; a corrected form is new.
  const open = useMutation({
    mutationFn: (submission: object) =>
      unwrap(
        api.POST('/v1/disputes', {
          params: { header: { 'Idempotency-Key': keyFor(submission) } },
          body: {
            customerId,
            invoiceId,
            reason,
            description: description.trim(),
            contact: { name: contactName.trim(), email: contactEmail.trim() },
            ...(lineIds.length ? { lineIds } : {}),
            ...(claimed.trim() ? { claimedAmount: moneyInput(claimed.trim(), currency) } : {}),
          },
        }),
      ),
    retry: retryTransient,
    onSuccess: (dispute) => navigate(`/disputes/${dispute.id}`),
  });

  const problems = {
    customer: customerId ? undefined : 'Choose the customer',
    invoice: invoiceId ? undefined : 'Choose the invoice',
    description: description.trim() ? undefined : 'Say what the customer disputes',
    claimed: claimed.trim() ? amountError(claimed, currency) : undefined,
    contactName: contactName.trim() ? undefined : 'Enter the contact’s name',
    contactEmail: EMAIL.test(contactEmail.trim()) ? undefined : 'Enter a valid email address',
  };
  const shown = (key: keyof typeof problems, path: string): string | undefined =>
    (checked ? problems[key] : undefined) ?? serverFieldError(open.error, path);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setChecked(true);
    if (Object.values(problems).some(Boolean)) return;
    open.mutate({});
  };

  const chooseCustomer = (id: string): void => {
    setCustomerId(id);
    setInvoiceId('');
    setLineIds([]);
    const customer = customers.data?.items.find((c) => c.id === id);
    if (customer && !contactEmail) setContactEmail(customer.email);
    if (customer && !contactName) setContactName(customer.name);
  };

  return (
    <section aria-labelledby="new-title" className="narrow">
      <h1 id="new-title">New dispute</h1>
      <form onSubmit={submit} noValidate aria-busy={open.isPending}>
        <fieldset>
          <legend>Customer and invoice</legend>
          <TextField
            label="Find the customer"
            hint="Customer number or name"
            type="search"
            value={search}
            onValue={setSearch}
            maxLength={100}
          />
          <SelectField
            label="Customer"
            value={customerId}
            onValue={chooseCustomer}
            error={shown('customer', '$.customerId')}
            options={[
              {
                value: '',
                label: customers.isPending
                  ? 'Searching…'
                  : `${String(customers.data?.items.length ?? 0)} matching — choose one`,
              },
              ...(customers.data?.items ?? []).map((c) => ({
                value: c.id,
                label: `${c.name} (${c.id})`,
              })),
              ...(customerId && !customers.data?.items.some((c) => c.id === customerId)
                ? [{ value: customerId, label: customerId }]
                : []),
            ]}
          />
          <SelectField
            label="Invoice"
            value={invoiceId}
            onValue={(id) => {
              setInvoiceId(id);
              setLineIds([]);
            }}
            disabled={!customerId}
            error={shown('invoice', '$.invoiceId')}
            options={[
              { value: '', label: customerId ? 'Choose the invoice' : 'Choose a customer first' },
              ...(invoices.data?.items ?? []).map((i) => ({
                value: i.id,
                label: `${i.id}, ${formatDate(i.issuedAt)}, ${formatMoney(i.total)}${i.voidedBy ? ' (voided)' : ''}`,
              })),
            ]}
          />
          {invoice.data ? (
            <fieldset className="checkboxes">
              <legend>Lines in question (optional)</legend>
              {invoice.data.lines.map((line) => (
                <label key={line.id}>
                  <input
                    type="checkbox"
                    checked={lineIds.includes(line.id)}
                    onChange={(e) =>
                      setLineIds((ids) =>
                        e.target.checked ? [...ids, line.id] : ids.filter((x) => x !== line.id),
                      )
                    }
                  />
                  {line.id}: {line.quantity} × {line.sku} at {formatMoney(line.unitPrice)} ={' '}
                  {formatMoney(line.lineTotal)}
                </label>
              ))}
            </fieldset>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>The dispute</legend>
          <SelectField
            label="Reason"
            value={reason}
            onValue={(v) => setReason(v as Reason)}
            options={REASONS.map((r) => ({ value: r, label: reasonWords(r) }))}
          />
          <TextArea
            label="Description"
            value={description}
            onValue={setDescription}
            maxLength={5000}
            rows={4}
            error={shown('description', '$.description')}
          />
          <TextField
            label={`Amount claimed by the customer (${currency}, optional)`}
            inputMode="decimal"
            value={claimed}
            onValue={setClaimed}
            error={shown('claimed', '$.claimedAmount')}
          />
        </fieldset>
        <fieldset>
          <legend>Customer contact</legend>
          <TextField
            label="Name"
            autoComplete="off"
            value={contactName}
            onValue={setContactName}
            maxLength={200}
            error={shown('contactName', '$.contact.name')}
          />
          <TextField
            label="Email"
            type="email"
            autoComplete="off"
            value={contactEmail}
            onValue={setContactEmail}
            maxLength={254}
            error={shown('contactEmail', '$.contact.email')}
          />
        </fieldset>
        <Problem error={open.error} />
        <button type="submit" disabled={open.isPending}>
          {open.isPending ? 'Opening…' : 'Open dispute'}
        </button>
      </form>
    </section>
  );
}
