"""The report layer: charts and documents (HTML, PDF, XLSX) drawn from the report JSON of
:func:`consult.services.reports.build`. It reads that dictionary, never the models."""
