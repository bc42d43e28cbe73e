/** The dashboard's key figures as cards, each a link to the list it counts. */
import { Box, Card, CardActionArea, CardContent, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslate } from 'react-admin';

export interface KeyFigure {
  id: string;
  value: number | string;
  to?: string;
  tone?: 'error' | 'warning' | 'success';
}

function FigureCard({ figure }: { figure: KeyFigure }) {
  const translate = useTranslate();
  const body = (
    <CardContent>
      <Typography variant="body2" color="text.secondary">
        {translate(`fangfan.dashboard.figures.${figure.id}`)}
      </Typography>
      <Typography variant="h4" component="p" color={figure.tone ? `${figure.tone}.main` : undefined} data-testid={`figure-${figure.id}`}>
        {figure.value}
      </Typography>
    </CardContent>
  );
  return <Card variant="outlined">{figure.to ? <CardActionArea component={RouterLink} to={figure.to}>{body}</CardActionArea> : body}</Card>;
}

export function KeyFigures({ figures }: { figures: KeyFigure[] }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'repeat(2, minmax(0, 1fr))', sm: 'repeat(3, minmax(0, 1fr))', lg: 'repeat(4, minmax(0, 1fr))' }, gap: 1.5 }}>
      {figures.map((f) => (
        <FigureCard key={f.id} figure={f} />
      ))}
    </Box>
  );
}
