PYTHON SELECT
python select 3.11
Python  Select
