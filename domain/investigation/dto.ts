import { fromMoneyDto, toMoneyDto, type MoneyDto } from '../money';
import type { Finding, InvestigationResult, Verdict } from './finding';

// Workflow payloads are JSON, which cannot carry bigint: money travels as decimal strings.

export type FindingDto = Omit<Finding, 'delta'> & { delta: MoneyDto };

export interface InvestigationResultDto {
  findings: FindingDto[];
  totalDelta: MoneyDto;
  verdict: Verdict;
}

export function toFindingDto(finding: Finding): FindingDto {
  return { ...finding, delta: toMoneyDto(finding.delta) };
}

export function fromFindingDto(dto: FindingDto): Finding {
  return { ...dto, delta: fromMoneyDto(dto.delta) };
}

export function toInvestigationResultDto(result: InvestigationResult): InvestigationResultDto {
  return {
    findings: result.findings.map(toFindingDto),
    totalDelta: toMoneyDto(result.totalDelta),
    verdict: result.verdict,
  };
}

export function fromInvestigationResultDto(dto: InvestigationResultDto): InvestigationResult {
  return {
    findings: dto.findings.map(fromFindingDto),
    totalDelta: fromMoneyDto(dto.totalDelta),
    verdict: dto.verdict,
  };
}
