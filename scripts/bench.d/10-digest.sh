# SPDX-License-Identifier: Apache-2.0
# digest: two SHA-2 digests in one pass vs coreutils and openssl (1 GiB in page cache)
big=$WORK/1g.bin
head -c 1073741824 /dev/urandom > "$big"
cat "$big" > /dev/null
t_both=$(median "'$FWTRAIL' digest --alg sha384,sha512 '$big'")
t_one=$(median "'$FWTRAIL' digest --alg sha512 '$big'")
t_sha512sum=$(median "sha512sum '$big'")
t_pair=$(median "sha384sum '$big'; sha512sum '$big'")
t_openssl=$(median "openssl dgst -sha512 '$big'")
r1=$(echo "$t_both / $t_sha512sum" | bc -l)
r2=$(echo "$t_both / $t_pair" | bc -l)
r3=$(echo "$t_openssl / $t_one" | bc -l)
row "digest sha384+sha512, 1 GiB" "$t_both" "sha512sum alone" "$t_sha512sum" \
	"<= 0.80x time: $(printf '%.2f' "$r1")x" "$(echo "$r1 <= 0.80" | bc)"
row "digest sha384+sha512, 1 GiB" "$t_both" "sha384sum; sha512sum" "$t_pair" \
	"(info) $(printf '%.2f' "$r2")x time" 1
row "digest sha512, 1 GiB" "$t_one" "openssl dgst -sha512" "$t_openssl" \
	">= 0.95x speed: $(printf '%.2f' "$r3")x" "$(echo "$r3 >= 0.95" | bc)"
rm -f "$big"
