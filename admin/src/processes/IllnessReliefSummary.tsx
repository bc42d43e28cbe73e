/**
 * 大病一事一议特殊救助 at a glance, on its case page: the patient (ID number masked: the block names
 * the person, it does not identify them further), the disease, the year's 医保结算 figures (total cost,
 * what the three layers reimbursed, out of pocket, against the threshold), and the application text.
 * The API has already masked the health details for whoever may not see them (server/privacy.ts: the
 * department officers working on the case, the town and the district see them); such a value reads
 * "已隐藏", never as the mask itself.
 */
import type { ReactNode } from 'react';
import { Box, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useTranslate } from 'react-admin';
import { maskIdNumber } from '../../../contracts/masks';
import type { AppDataProvider } from '../api/dataProvider';
import type { HouseholdMember, ProcessDetail } from '../api/types';
import { formatMoney } from '../forms/FormDataView';

/** What the mask of a masked field reads as (server/privacy.ts HIDDEN). */
const HIDDEN = '***';

interface Settlement {
  patient: { name: string; relation: string };
  disease: string;
  settlementDate: string;
  totalCost: number;
  paidByBasicInsurance: number;
  paidByCriticalIllnessInsurance: number;
  paidByMedicalAssistance: number;
  outOfPocket: number;
  supersededBy?: string;
}

interface ReliefData {
  year?: number;
  application?: { description: string };
  settlements?: Settlement[];
  totals?: Omit<Settlement, 'patient' | 'disease' | 'settlementDate' | 'supersededBy'>;
  threshold?: { amount: number };
  verification?: { verifiedOutOfPocket: number };
}

const reimbursed = (s: Pick<Settlement, 'paidByBasicInsurance' | 'paidByCriticalIllnessInsurance' | 'paidByMedicalAssistance'>) =>
  (Math.round(s.paidByBasicInsurance * 100) + Math.round(s.paidByCriticalIllnessInsurance * 100) + Math.round(s.paidByMedicalAssistance * 100)) / 100;

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box sx={{ display: 'contents' }} data-testid={testId}>
      <Typography component="dt" variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {children}
      </Typography>
    </Box>
  );
}

export function IllnessReliefSummary({ process }: { process: ProcessDetail }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const householdId = process.householdId ?? '';
  const members = useQuery({
    queryKey: ['householdMembers', householdId],
    queryFn: () => dataProvider.getHouseholdPart<{ members: HouseholdMember[] }>(householdId, 'members'),
    enabled: !!householdId,
  });
  const data = (process.state?.data ?? {}) as ReliefData;
  const counted = (data.settlements ?? []).filter((s) => !s.supersededBy);
  const shown = (v: string | undefined) => (!v ? translate('fangfan.no_value') : v === HIDDEN ? translate('fangfan.relief.hidden') : v);
  const sep = translate('fangfan.list_separator');
  const patients = [...new Map(counted.map((s) => [s.patient.name, s.patient])).values()].map((p) => {
    const idNumber = members.data?.members.find((m) => m.name === p.name)?.idNumber;
    const id = idNumber ? translate('fangfan.relief.id_number', { id: idNumber.includes('*') ? idNumber : maskIdNumber(idNumber) }) : '';
    return `${p.name}（${p.relation}）${id}`;
  });
  const diseases = [...new Set(counted.map((s) => s.disease))].map(shown);
  const totals = data.totals;
  return (
    <Box data-testid="illness-relief-summary">
      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: 'minmax(8em, max-content) 1fr' }, columnGap: 2, rowGap: 0.75, m: 0 }}>
        <Row label={translate('fangfan.relief.patient')} testId="relief-patient">
          {patients.join(sep) || translate('fangfan.no_value')}
        </Row>
        <Row label={translate('fangfan.relief.disease')} testId="relief-disease">
          {diseases.join(sep) || translate('fangfan.no_value')}
        </Row>
        {totals && (
          <Row label={translate('fangfan.relief.settled', { year: data.year ?? '' })} testId="relief-totals">
            {translate('fangfan.relief.figures', { total: formatMoney(totals.totalCost), reimbursed: formatMoney(reimbursed(totals)), outOfPocket: formatMoney(totals.outOfPocket) })}
          </Row>
        )}
        {data.threshold && <Row label={translate('fangfan.relief.threshold')}>{formatMoney(data.threshold.amount)}</Row>}
        {data.verification && <Row label={translate('fangfan.relief.verified')}>{formatMoney(data.verification.verifiedOutOfPocket)}</Row>}
        {data.application && (
          <Row label={translate('fangfan.relief.application')} testId="relief-application">
            {shown(data.application.description)}
          </Row>
        )}
      </Box>
      {counted.length > 1 && (
        <Box component="ul" sx={{ mt: 1.5, mb: 0, pl: 2.5 }} data-testid="relief-settlements">
          {counted.map((s, i) => (
            <Typography component="li" variant="body2" key={i}>
              {translate('fangfan.relief.settlement_line', {
                date: s.settlementDate,
                patient: s.patient.name,
                disease: shown(s.disease),
                total: formatMoney(s.totalCost),
                reimbursed: formatMoney(reimbursed(s)),
                outOfPocket: formatMoney(s.outOfPocket),
              })}
            </Typography>
          ))}
        </Box>
      )}
    </Box>
  );
}
