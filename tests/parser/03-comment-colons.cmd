:: a comment
::
:: another & one | with > operators
   :: indented comment
