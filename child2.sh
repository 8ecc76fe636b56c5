trap 'echo TERM >> $1; exit 0' TERM
echo ready >> $1
while :; do sleep 0.05; done
