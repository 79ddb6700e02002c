import { formatDecimal, formatScaled, type Decimal } from '../decimal';
import { minorUnitExponent } from '../money';
import type { Address, ContractDiscount } from './records';

/** Formats minor units of one currency as the API does ("1234.50"). */
export function amountFormatter(currency: string): (minor: bigint) => string {
  const exponent = minorUnitExponent(currency);
  return (minor) => formatScaled(minor, exponent);
}

export function percentText(value: Decimal): string {
  return `${formatDecimal(value)}%`;
}

export function discountText(discount: ContractDiscount, skuTotalInContract: bigint): string {
  switch (discount.kind) {
    case 'volume':
      return `volume discount ${discount.id} (from ${unitsText(BigInt(discount.minQuantity))})`;
    case 'promotion':
      return `promotion ${discount.id} (${discount.from} to ${discount.to})`;
    case 'retroactive':
      return (
        `retroactive discount ${discount.id} (once the customer's total under the contract ` +
        `reaches ${unitsText(BigInt(discount.minQuantity))}; it is ${skuTotalInContract})`
      );
  }
}

export function addressText(address: Address): string {
  return `${address.line1}, ${address.postalCode} ${address.city}, ${address.country}`;
}

export function unitsText(quantity: bigint): string {
  return quantity === 1n ? '1 unit' : `${quantity} units`;
}
