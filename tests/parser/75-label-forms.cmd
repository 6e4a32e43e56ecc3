@:quiet_label
  :indented_label
:label_with-dash.dot
goto indented_label
