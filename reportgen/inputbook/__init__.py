"""The input workbook: a data set as an Excel workbook a planning office fills in, and back.

``layout`` says which sheet holds which part, ``write`` fills a workbook from the YAML of
a data set, ``read`` turns a workbook into located values that ``load.dataset`` checks
exactly as it checks YAML, and ``yamlout`` writes what the workbook stands for as YAML.
"""
