a | b && c || d & e
echo one & echo two && echo three | more
