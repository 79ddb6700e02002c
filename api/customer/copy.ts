// The response page's words, in the customer's language (English or French, as the emails).
import type { Locale } from '../../domain/notifications';

export interface PageCopy {
  title(caseNumber: string): string;
  invalidTitle: string;
  invalid: string;
  invalidHelp: string;
  unavailableTitle: string;
  unavailable: string;
  hello(name: string): string;
  intro(invoice: string): string;
  labels: {
    caseNumber: string;
    invoice: string;
    respondBy: string;
    proposal: string;
    amount: string;
  };
  lines: {
    heading: string;
    line: string;
    sku: string;
    quantity: string;
    unitPrice: string;
    total: string;
  };
  findings: string;
  noFindings: string;
  offer: string;
  installments: { heading: string; number: string; due: string; amount: string };
  answer: {
    heading: string;
    accept: string;
    reject: string;
    comment: string;
    commentHelp: string;
    submit: string;
  };
  note: { heading: string; label: string; help: string; submit: string };
  notices: {
    accepted: string;
    rejected: string;
    noted: string;
    already(accepted: boolean, on: string): string;
    notOpen: string;
    replaced: string;
    tryAgain: string;
    forbidden: string;
  };
  errors: { decision: string; comment: string; tooLong(max: string): string; empty: string };
  yourAnswer(accepted: boolean, on: string): string;
  yourNotes: string;
  footer(caseNumber: string): string;
}

export const COPY: Record<Locale, PageCopy> = {
  en: {
    title: (caseNumber) => `Your billing dispute ${caseNumber}`,
    invalidTitle: 'This link cannot be used',
    invalid: 'This link is not valid or has expired.',
    invalidHelp:
      'If you still need to answer, reply to the last email we sent you about your dispute and we will send you a new link.',
    unavailableTitle: 'Please try again in a few minutes',
    unavailable:
      'We cannot show your dispute or record an answer just now. Your link still works; nothing was lost.',
    hello: (name) => `Hello ${name},`,
    intro: (invoice) => `Here is where your dispute about invoice ${invoice} stands.`,
    labels: {
      caseNumber: 'Case number',
      invoice: 'Invoice',
      respondBy: 'Answer by',
      proposal: 'Proposal',
      amount: 'Amount',
    },
    lines: {
      heading: 'Invoice lines in question',
      line: 'Line',
      sku: 'Item',
      quantity: 'Quantity',
      unitPrice: 'Unit price',
      total: 'Line total',
    },
    findings: 'What we found',
    noFindings: 'We are still reviewing your invoice; you will receive our findings by email.',
    offer: 'Our proposal',
    installments: { heading: 'Payment dates', number: '#', due: 'Due date', amount: 'Amount' },
    answer: {
      heading: 'Your answer',
      accept: 'I accept the proposal',
      reject: 'I reject the proposal',
      comment: 'Why do you reject it?',
      commentHelp: 'Required when you reject; it helps us prepare a better proposal.',
      submit: 'Send my answer',
    },
    note: {
      heading: 'A note for our billing team',
      label: 'Your note (optional)',
      help: 'Documents can be sent as attachments by replying to our email.',
      submit: 'Send my note',
    },
    notices: {
      accepted: 'Thank you. You accepted the proposal; we are putting it into effect.',
      rejected:
        'Thank you. You rejected the proposal; we will review your comment and come back to you.',
      noted: 'Thank you. Your note was sent to our billing team.',
      already: (accepted, on) =>
        `You already answered this proposal on ${on}: you ${accepted ? 'accepted' : 'rejected'} it. This answer stands.`,
      notOpen:
        'This proposal is no longer open for an answer. If you have questions, reply to our last email.',
      replaced:
        'We have sent you a newer proposal since this one. Please use the link in our latest email.',
      tryAgain:
        'We could not record your answer just now. Please try again in a few minutes; nothing was lost.',
      forbidden:
        'Your answer could not be sent from this page. Please open the link from our email again and resend it.',
    },
    errors: {
      decision: 'Choose whether you accept or reject the proposal.',
      comment: 'Tell us why you reject the proposal.',
      tooLong: (max) => `Please keep it under ${max} characters.`,
      empty: 'Write your note first.',
    },
    yourAnswer: (accepted, on) =>
      `On ${on} you ${accepted ? 'accepted' : 'rejected'} this proposal.`,
    yourNotes: 'Notes you sent',
    footer: (caseNumber) =>
      `This page is for case ${caseNumber} only. Do not forward the link: anyone who has it can answer for you.`,
  },
  fr: {
    title: (caseNumber) => `Votre contestation de facturation ${caseNumber}`,
    invalidTitle: 'Ce lien ne peut pas être utilisé',
    invalid: 'Ce lien n’est pas valide ou a expiré.',
    invalidHelp:
      'Si vous devez encore répondre, répondez au dernier e-mail que nous vous avons envoyé au sujet de votre contestation\u00a0; nous vous enverrons un nouveau lien.',
    unavailableTitle: 'Merci de réessayer dans quelques minutes',
    unavailable:
      'Nous ne pouvons pas afficher votre contestation ni enregistrer de réponse pour le moment. Votre lien reste valable\u00a0; rien n’a été perdu.',
    hello: (name) => `Bonjour ${name},`,
    intro: (invoice) => `Voici où en est votre contestation de la facture ${invoice}.`,
    labels: {
      caseNumber: 'Numéro de dossier',
      invoice: 'Facture',
      respondBy: 'Date limite de réponse',
      proposal: 'Proposition',
      amount: 'Montant',
    },
    lines: {
      heading: 'Lignes de facture concernées',
      line: 'Ligne',
      sku: 'Article',
      quantity: 'Quantité',
      unitPrice: 'Prix unitaire',
      total: 'Total de la ligne',
    },
    findings: 'Nos constats',
    noFindings: 'Nous examinons encore votre facture\u00a0; vous recevrez nos constats par e-mail.',
    offer: 'Notre proposition',
    installments: { heading: 'Échéances', number: 'N°', due: 'Échéance', amount: 'Montant' },
    answer: {
      heading: 'Votre réponse',
      accept: 'J’accepte la proposition',
      reject: 'Je refuse la proposition',
      comment: 'Pourquoi la refusez-vous\u00a0?',
      commentHelp:
        'Obligatoire en cas de refus\u00a0; cela nous aide à préparer une meilleure proposition.',
      submit: 'Envoyer ma réponse',
    },
    note: {
      heading: 'Une note pour notre service facturation',
      label: 'Votre note (facultative)',
      help: 'Vous pouvez envoyer des documents en pièce jointe en répondant à notre e-mail.',
      submit: 'Envoyer ma note',
    },
    notices: {
      accepted: 'Merci. Vous avez accepté la proposition\u00a0; nous la mettons en œuvre.',
      rejected:
        'Merci. Vous avez refusé la proposition\u00a0; nous étudierons votre commentaire et reviendrons vers vous.',
      noted: 'Merci. Votre note a été transmise à notre service facturation.',
      already: (accepted, on) =>
        `Vous avez déjà répondu à cette proposition le ${on}\u00a0: vous l’avez ${accepted ? 'acceptée' : 'refusée'}. Cette réponse est définitive.`,
      notOpen:
        'Cette proposition n’attend plus de réponse. Pour toute question, répondez à notre dernier e-mail.',
      replaced:
        'Nous vous avons envoyé une proposition plus récente. Merci d’utiliser le lien de notre dernier e-mail.',
      tryAgain:
        'Nous n’avons pas pu enregistrer votre réponse pour le moment. Merci de réessayer dans quelques minutes\u00a0; rien n’a été perdu.',
      forbidden:
        'Votre réponse n’a pas pu être envoyée depuis cette page. Rouvrez le lien de notre e-mail et envoyez-la à nouveau.',
    },
    errors: {
      decision: 'Indiquez si vous acceptez ou refusez la proposition.',
      comment: 'Expliquez-nous pourquoi vous refusez la proposition.',
      tooLong: (max) => `Merci de ne pas dépasser ${max} caractères.`,
      empty: 'Rédigez d’abord votre note.',
    },
    yourAnswer: (accepted, on) =>
      `Le ${on}, vous avez ${accepted ? 'accepté' : 'refusé'} cette proposition.`,
    yourNotes: 'Notes envoyées',
    footer: (caseNumber) =>
      `Cette page concerne uniquement le dossier ${caseNumber}. Ne transférez pas ce lien\u00a0: toute personne qui le détient peut répondre à votre place.`,
  },
};
