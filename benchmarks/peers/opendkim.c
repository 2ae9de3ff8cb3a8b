/*
 * Peer driver for libopendkim: DKIM verification of the harness's messages, the keys answered
 * from memory through the library's key lookup callback, one thread, timed as every driver of the
 * harness times (warm up, then the median rate of timed rounds).
 *
 *   opendkim DIR [--quick]
 *
 * Reads DIR/messages.tsv (case TAB file) and DIR/keys.tsv (name TAB record), written by
 * PeerHarness corpus; prints one JSON object a line, as the other drivers do.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <opendkim/dkim.h>

#define MAX_KEYS 16

static struct { char name[256]; char record[4096]; } keys[MAX_KEYS];
static int key_count;
static char version[64];

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* The key lookup: selector._domainkey.domain from the table, as a TXT answer would give it. */
static DKIM_CBSTAT lookup(DKIM *dkim, DKIM_SIGINFO *sig, u_char *buf, size_t buflen) {
  char name[512];
  (void) dkim;
  snprintf(name, sizeof name, "%s._domainkey.%s", (char *) dkim_sig_getselector(sig),
           (char *) dkim_sig_getdomain(sig));
  for (int i = 0; i < key_count; i++) {
    if (strcasecmp(keys[i].name, name) == 0) {
      if (strlen(keys[i].record) >= buflen) {
        return DKIM_CBSTAT_ERROR;
      }
      strcpy((char *) buf, keys[i].record);
      return DKIM_CBSTAT_CONTINUE;
    }
  }
  return DKIM_CBSTAT_NOTFOUND;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *data = malloc(n + 1);
  if (data == NULL || fread(data, 1, n, f) != (size_t) n) {
    perror(path);
    exit(1);
  }
  data[n] = '\0';
  fclose(f);
  *len = n;
  return data;
}

/* One verification; true when the first signature verified. */
static bool verify(DKIM_LIB *lib, u_char *message, size_t len) {
  DKIM_STAT status;
  DKIM *dkim = dkim_verify(lib, (const u_char *) "bench", NULL, &status);
  if (dkim == NULL) {
    return false;
  }
  bool ok = dkim_chunk(dkim, message, len) == DKIM_STAT_OK && dkim_chunk(dkim, NULL, 0) == DKIM_STAT_OK
            && dkim_eom(dkim, NULL) == DKIM_STAT_OK;
  dkim_free(dkim);
  return ok;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: opendkim DIR [--quick]\n");
    return 2;
  }
  bool quick = argc > 2 && strcmp(argv[2], "--quick") == 0;
  double warm_up = quick ? 0.5 : 2.0, round = quick ? 0.5 : 1.0;
  int rounds = quick ? 3 : 5;
  char path[4096];

  uint32_t v = dkim_libversion();
  snprintf(version, sizeof version, "%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff);

  size_t len;
  snprintf(path, sizeof path, "%s/keys.tsv", argv[1]);
  char *table = read_file(path, &len);
  for (char *line = strtok(table, "\n"); line != NULL && key_count < MAX_KEYS;
       line = strtok(NULL, "\n")) {
    char *tab = strchr(line, '\t');
    if (tab != NULL) {
      *tab = '\0';
      snprintf(keys[key_count].name, sizeof keys[key_count].name, "%s", line);
      snprintf(keys[key_count].record, sizeof keys[key_count].record, "%s", tab + 1);
      key_count++;
    }
  }

  DKIM_LIB *lib = dkim_init(NULL, NULL);
  if (lib == NULL || dkim_set_key_lookup(lib, lookup) != DKIM_STAT_OK) {
    fprintf(stderr, "libopendkim does not start\n");
    return 1;
  }

  snprintf(path, sizeof path, "%s/messages.tsv", argv[1]);
  char *list = read_file(path, &len);
  char *saved;
  for (char *line = strtok_r(list, "\n", &saved); line != NULL; line = strtok_r(NULL, "\n", &saved)) {
    char *tab = strchr(line, '\t');
    if (tab == NULL) {
      continue;
    }
    *tab = '\0';
    snprintf(path, sizeof path, "%s/%s", argv[1], tab + 1);
    size_t size;
    u_char *message = (u_char *) read_file(path, &size);
    if (!verify(lib, message, size)) {
      printf("{\"peer\":\"libopendkim\",\"version\":\"%s\",\"kind\":\"dkim\",\"case\":\"%s\","
             "\"error\":\"does not verify\"}\n", version, line);
      free(message);
      continue;
    }
    double start = now();
    while (now() - start < warm_up) {
      verify(lib, message, size);
    }
    double rates[16];
    for (int r = 0; r < rounds; r++) {
      double t0 = now(), t;
      long n = 0;
      do {
        verify(lib, message, size);
        n++;
        t = now();
      } while (t - t0 < round);
      rates[r] = n / (t - t0);
    }
    qsort(rates, rounds, sizeof rates[0], compare);
    printf("{\"peer\":\"libopendkim\",\"version\":\"%s\",\"kind\":\"dkim\",\"case\":\"%s\","
           "\"perSecond\":%.1f}\n", version, line, rates[rounds / 2]);
    fflush(stdout);
    free(message);
  }
  dkim_close(lib);
  return 0;
}
