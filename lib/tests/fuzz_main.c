/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_main.c - run a libFuzzer target without libFuzzer: every file named
 * on the command line (folders are read one level deep) is fed to
 * LLVMFuzzerTestOneInput once.  `make check` uses it to replay the seed
 * corpora and every crash ever found, with gcc and the sanitizers. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, count = 0;
	struct stat st;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *de;
			char p[4096];
			while (d && (de = readdir(d)) != NULL) {
				if (de->d_name[0] == '.')
					continue;
				snprintf(p, sizeof(p), "%s/%s", argv[i], de->d_name);
				if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && run_file(p) == 0)
					count++;
			}
			if (d)
				closedir(d);
		} else if (run_file(argv[i]) == 0) {
			count++;
		}
	}
	fprintf(stderr, "%s: %d inputs replayed\n", argv[0], count);
	return 0;
}
