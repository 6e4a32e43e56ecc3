

	echo tab indented
    echo space indented   

echo last	
