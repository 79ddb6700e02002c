import { compareDecimal, parseDecimal, type Decimal } from '../decimal';
import type { Contract, ContractDiscount } from './records';

export interface ExpectedDiscount {
  percent: Decimal;
  /** The contract discount that gives `percent`, or null when none applies (0 %). */
  discount: ContractDiscount | null;
}

/** The contract as it stands on the invoice date: prices and discount selection. */
export interface ContractTerms {
  /** Contract unit price in minor units, or undefined if the SKU has none on the invoice date. */
  priceOf(sku: string): bigint | undefined;
  /** The largest applicable discount; `quantity` is tested against volume thresholds. */
  expectedDiscount(sku: string, quantity: bigint, skuTotalInContract: bigint): ExpectedDiscount;
}

interface ParsedDiscount {
  discount: ContractDiscount;
  percent: Decimal;
}

const NO_DISCOUNT: ExpectedDiscount = { percent: { coefficient: 0n, scale: 0 }, discount: null };

function applies(
  { discount }: ParsedDiscount,
  issuedAt: string,
  quantity: bigint,
  skuTotal: bigint,
): boolean {
  switch (discount.kind) {
    case 'volume':
      return quantity >= BigInt(discount.minQuantity);
    case 'promotion':
      return discount.from <= issuedAt && issuedAt <= discount.to;
    case 'retroactive':
      return skuTotal >= BigInt(discount.minQuantity);
  }
}

// Discounts do not stack: the largest wins; ties go to a non-retroactive, then SKU-specific, then earlier one.
function better(candidate: ParsedDiscount, best: ParsedDiscount | null): boolean {
  if (best === null) return true;
  const order = compareDecimal(candidate.percent, best.percent);
  if (order !== 0) return order > 0;
  return best.discount.kind === 'retroactive' && candidate.discount.kind !== 'retroactive';
}

export function buildContractTerms(contract: Contract, issuedAt: string): ContractTerms {
  const inForce = contract.validFrom <= issuedAt && issuedAt <= contract.validTo;
  const prices = new Map<string, bigint>();
  if (inForce) for (const price of contract.prices) prices.set(price.sku, price.unitPrice.minor);

  const bySku = new Map<string, ParsedDiscount[]>();
  for (const discount of contract.discounts) {
    const list = bySku.get(discount.sku) ?? [];
    list.push({ discount, percent: parseDecimal(discount.percent) });
    bySku.set(discount.sku, list);
  }
  const forAnySku = bySku.get('*') ?? [];
  const candidates = new Map<string, ParsedDiscount[]>();
  const candidatesFor = (sku: string): ParsedDiscount[] => {
    let list = candidates.get(sku);
    if (list === undefined) {
      list = sku === '*' ? forAnySku : [...(bySku.get(sku) ?? []), ...forAnySku];
      candidates.set(sku, list);
    }
    return list;
  };

  return {
    priceOf: (sku) => prices.get(sku),
    expectedDiscount(sku, quantity, skuTotalInContract) {
      let best: ParsedDiscount | null = null;
      for (const candidate of candidatesFor(sku)) {
        if (applies(candidate, issuedAt, quantity, skuTotalInContract) && better(candidate, best)) {
          best = candidate;
        }
      }
      return best === null ? NO_DISCOUNT : best;
    },
  };
}
