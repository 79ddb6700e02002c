import type { Money } from '../money';

// The billing records the investigation reads. Percents and rates stay exact decimal strings.

export interface Address {
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface Customer {
  id: string;
  name: string;
  email: string;
  currency: string;
  /** A fraction: "0.0825" is 8.25 %. */
  taxRate: string;
  locale: 'en' | 'fr';
  billingAddress: Address;
}

export interface ContractPrice {
  sku: string;
  unitPrice: Money;
}

interface DiscountBase {
  id: string;
  /** A SKU, or "*" for any SKU. */
  sku: string;
  /** A percent: "7.5" is 7.5 %. */
  percent: string;
}

export interface VolumeDiscount extends DiscountBase {
  kind: 'volume';
  minQuantity: number;
}

export interface PromotionDiscount extends DiscountBase {
  kind: 'promotion';
  from: string;
  to: string;
}

export interface RetroactiveDiscount extends DiscountBase {
  kind: 'retroactive';
  minQuantity: number;
}

export type ContractDiscount = VolumeDiscount | PromotionDiscount | RetroactiveDiscount;

export interface Contract {
  id: string;
  customerId: string;
  validFrom: string;
  validTo: string;
  prices: readonly ContractPrice[];
  discounts: readonly ContractDiscount[];
}

export interface PurchaseOrderLine {
  id: string;
  sku: string;
  quantity: number;
}

export interface PurchaseOrder {
  id: string;
  customerId: string;
  contractId: string;
  date: string;
  lines: readonly PurchaseOrderLine[];
}

export interface DeliveryLine {
  poLineId: string;
  quantity: number;
}

export interface Delivery {
  id: string;
  purchaseOrderId: string;
  date: string;
  lines: readonly DeliveryLine[];
}

export interface InvoiceLine {
  id: string;
  sku: string;
  poLineId: string;
  quantity: number;
  unitPrice: Money;
  /** A percent: "5" is 5 %. */
  discountPercent: string;
  lineTotal: Money;
}

export interface Invoice {
  id: string;
  customerId: string;
  purchaseOrderId: string;
  issuedAt: string;
  dueAt: string;
  currency: string;
  taxRate: string;
  billingAddress: Address;
  subtotal: Money;
  tax: Money;
  total: Money;
  lines: readonly InvoiceLine[];
}

export interface Payment {
  id: string;
  customerId: string;
  invoiceId: string;
  receivedAt: string;
  amount: Money;
}

/** Every kind of record of one import, in domain form. */
export interface BillingRecords {
  customers: Customer[];
  contracts: Contract[];
  purchaseOrders: PurchaseOrder[];
  deliveries: Delivery[];
  invoices: Invoice[];
  payments: Payment[];
}
