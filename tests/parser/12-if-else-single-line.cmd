if 1==1 (echo yes) else echo no
if 1==1 echo yes else echo no
if 1==2 (echo a) ELSE (echo b) & echo after
if 1==2 (echo a) & echo only when true
