/* ipcbench: latency and throughput of every IPC mechanism, side by side,
 * measured on this machine (lib/bench.h does the measuring). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "applets.h"
#include "bench.h"
#include "cli.h"
#include "msg.h"
#include "parse.h"
#include "table.h"

enum {
	B_MECH,
	B_KIND,
	B_SIZE,
	B_RTT,
	B_P99,
	B_MSGS,
	B_MIBS,
	B_WHAT,
	B_CPUS,
	B_PLACEMENT,
	B_KERNEL,
	B_ROUNDS,
	B_RUNS,
};

static const struct col cols[] = {
	[B_MECH] = { "MECH", "the mechanism (-m)", 0 },
	[B_KIND] = { "KIND",
	    "data: it carries the bytes; signal: it "
	    "signals, the bytes go through shared memory",
	    0 },
	[B_SIZE] = { "SIZE", "message size, bytes", COL_RIGHT | COL_NUMBER },
	[B_RTT] = { "RTT", "median round trip (ping-pong), microseconds",
	    COL_RIGHT | COL_NUMBER },
	[B_P99] = { "P99", "99th percentile round trip, microseconds",
	    COL_RIGHT | COL_NUMBER },
	[B_MSGS] = { "MSGS", "one-way messages a second (median of the runs)",
	    COL_RIGHT | COL_NUMBER },
	[B_MIBS] = { "MIBS", "MSGS times SIZE, MiB a second",
	    COL_RIGHT | COL_NUMBER },
	[B_WHAT] = { "WHAT", "how the mechanism moves a message", 0 },
	[B_CPUS] = { "CPUS", "CPUs online", COL_RIGHT | COL_NUMBER },
	[B_PLACEMENT] = { "PLACEMENT", "the CPUs of the two sides", 0 },
	[B_KERNEL] = { "KERNEL", "the kernel (uname -srm)", 0 },
	[B_ROUNDS] = { "ROUNDS", "timed round trips and messages a run",
	    COL_RIGHT | COL_NUMBER },
	[B_RUNS] = { "RUNS", "runs", COL_RIGHT | COL_NUMBER },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const int defaults[] = { B_MECH, B_KIND, B_RTT, B_P99, B_MSGS, B_MIBS };
static const int json_defaults[] = { B_MECH, B_KIND, B_SIZE, B_RTT, B_P99,
	B_MSGS, B_MIBS, B_CPUS, B_PLACEMENT, B_KERNEL, B_ROUNDS, B_RUNS };

#define MAXROUNDS 1000000
#define MAXRUNS 100

/* -m LIST: "all" or names, comma-separated, into sel (in the table's
 * order, each once). */
static void
mechs_parse(const char *list, int *sel)
{
	char *copy = xstrdup(list), *tok, *save;
	const struct bench_mech *m;
	char valid[256] = "";
	size_t i;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "all") == 0) {
			for (i = 0; bench_mechs[i] != NULL; i++)
				sel[i] = 1;
			continue;
		}
		if ((m = bench_find(tok)) == NULL) {
			for (i = 0; bench_mechs[i] != NULL; i++) {
				strlcat(valid, i ? ", " : "", sizeof(valid));
				strlcat(valid, bench_mechs[i]->name,
				    sizeof(valid));
			}
			cli_usage(NULL,
			    "-m '%s': unknown mechanism (all, or: %s)", tok,
			    valid);
		}
		for (i = 0; bench_mechs[i] != m; i++)
			;
		sel[i] = 1;
	}
	free(copy);
	for (i = 0; bench_mechs[i] != NULL; i++)
		if (sel[i])
			return;
	cli_usage(NULL, "-m '%s': no mechanism named", list);
}

struct run {
	struct bench_conf c;
	char kernel[200];
	char place[96];
};

static void
describe(struct run *r)
{
	const struct bench_place *p = &r->c.place;
	struct utsname u;

	if (uname(&u) == 0)
		snprintf(r->kernel, sizeof(r->kernel), "%s %s %s", u.sysname,
		    u.release, u.machine);
	else
		snprintf(r->kernel, sizeof(r->kernel), "?");
	if (p->cpu[0] < 0)
		snprintf(r->place, sizeof(r->place), "not pinned");
	else if (p->shared)
		snprintf(r->place, sizeof(r->place), "both on CPU %d (shared)",
		    p->cpu[0]);
	else
		snprintf(r->place, sizeof(r->place), "CPU %d and CPU %d",
		    p->cpu[0], p->cpu[1]);
}

static void
row(struct table *t, const struct run *r, const struct bench_mech *m,
    const struct bench_result *res)
{
	table_row(t);
	table_set(t, B_MECH, m->name);
	table_set(t, B_KIND, m->kind == BENCH_DATA ? "data" : "signal");
	table_setf(t, B_SIZE, "%zu", r->c.size);
	table_setf(t, B_RTT, "%.2f", res->rtt_median / 1e3);
	table_setf(t, B_P99, "%.2f", res->rtt_p99 / 1e3);
	table_setf(t, B_MSGS, "%.0f", res->msgs);
	table_setf(t, B_MIBS, "%.2f", res->mibs);
	table_set(t, B_WHAT, m->what);
	table_setf(t, B_CPUS, "%d", r->c.place.ncpu);
	table_set(t, B_PLACEMENT, r->place);
	table_set(t, B_KERNEL, r->kernel);
	table_setf(t, B_ROUNDS, "%u", r->c.rounds);
	table_setf(t, B_RUNS, "%u", r->c.runs);
}

static int
ipcbench(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "runs", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	int sel[BENCH_NMECHS] = { 0 };
	struct bench_result res[BENCH_NMECHS];
	struct colsel cs;
	struct run r;
	struct table *t;
	const char *mlist = "all", *olist = NULL, *errstr, *why;
	unsigned tflags = 0;
	uint64_t size = 100;
	struct cli c;
	int ch, rc = EXIT_DONE;
	size_t i, nrows = 0;

	memset(&r, 0, sizeof(r));
	r.c.rounds = 2000;
	r.c.runs = 3;
	cli_init(&c, argc, argv, "m:s:n:o:", lopts, 0);
	cli_exclusive(&c, "Jr");
	while ((ch = cli_next(&c)) != -1) {
		switch (ch) {
		case 'm':
			mlist = optarg;
			break;
		case 's':
			if (parse_size(optarg, BENCH_MAXSIZE, &size, &errstr) !=
			    0)
				cli_bad_value("-s", optarg,
				    strcmp(errstr, "is too large") == 0
					? "is too large (at most 1M)"
					: errstr);
			if (size == 0)
				cli_bad_value("-s", optarg,
				    "is too small (at least 1)");
			break;
		case 'n':
			r.c.rounds = (unsigned)strtonum(optarg, 1, MAXROUNDS,
			    &errstr);
			if (errstr != NULL)
				cli_usage(NULL, "-n '%s' is %s", optarg,
				    errstr);
			break;
		case 'R':
			r.c.runs = (unsigned)strtonum(optarg, 1, MAXRUNS,
			    &errstr);
			if (errstr != NULL)
				cli_usage(NULL, "--runs '%s' is %s", optarg,
				    errstr);
			break;
		case 'o':
			olist = optarg;
			break;
		case 'J':
			tflags |= TABLE_JSON;
			break;
		case 'r':
			tflags |= TABLE_RAW;
			break;
		}
	}
	cli_operands(&c, 0, 0);
	mechs_parse(mlist, sel);
	if (tflags & TABLE_JSON)
		table_select(&cs, cols, NCOLS, json_defaults,
		    sizeof(json_defaults) / sizeof(int), olist);
	else
		table_select(&cs, cols, NCOLS, defaults,
		    sizeof(defaults) / sizeof(int), olist);
	r.c.size = (size_t)size;
	r.c.warmup = r.c.rounds / 10 > 0 ? r.c.rounds / 10 : 1;
	bench_placement(&r.c.place);
	describe(&r);
	for (i = 0; bench_mechs[i] != NULL; i++) {
		if (!sel[i])
			continue;
		if (bench_run(bench_mechs[i], &r.c, &res[i], &why) != 0) {
			msg_warn_why(bench_mechs[i]->name, why);
			rc = EXIT_FAIL;
			sel[i] = 0;
			continue;
		}
		nrows++;
	}
	/* Nothing measured: the reasons are on stderr, stdout stays empty. */
	if (nrows == 0)
		return rc;
	t = table_new("ipcbench", cols, &cs, tflags);
	for (i = 0; bench_mechs[i] != NULL; i++)
		if (sel[i])
			row(t, &r, bench_mechs[i], &res[i]);
	if (!(tflags & TABLE_JSON))
		printf("%d CPUs online, %d allowed; sides: %s; %s; "
		       "%zu-byte messages; %u run%s of %u round trips and %u "
		       "one-way messages, each after %u warm-up rounds\n",
		    r.c.place.ncpu, r.c.place.nallowed, r.place, r.kernel,
		    r.c.size, r.c.runs, r.c.runs == 1 ? "" : "s", r.c.rounds,
		    r.c.rounds, r.c.warmup);
	if (table_print(t) != 0)
		msg_die(EXIT_FAIL, NULL, "cannot print the table");
	return rc;
}

static const struct verb one = {
	"ipcbench",
	NULL,
	ipcbench,
	"[-m MECH,...] [-s MSGSIZE] [-n ROUNDS] [--runs RUNS]\n"
	"                       [-o COLS] [--json|--raw]",
	"Measure, on this machine, the round-trip latency (ping-pong: median "
	"and\np99) and one-way throughput of each IPC mechanism between two "
	"processes,\npinned to two CPUs when there are two.",
};

/* The options, the mechanisms and the columns, for --help. */
static char *
help_text(void)
{
	char *help = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&help, &len);

	if (f == NULL)
		return NULL;
	fprintf(f,
	    "Options:\n"
	    "  -m MECH,...         these mechanisms (default all)\n"
	    "  -s MSGSIZE          message size, 1 to 1M (default 100)\n"
	    "  -n ROUNDS           timed round trips and messages a run "
	    "(default 2000)\n"
	    "  --runs RUNS         repeated runs (default 3)\n"
	    "  -o, --output COLS   these columns; +COLS adds to the "
	    "defaults\n"
	    "  --json              JSON, every column by default\n"
	    "  --raw               no alignment\n"
	    "\nMechanisms:\n");
	for (i = 0; bench_mechs[i] != NULL; i++)
		fprintf(f, "  %-8s %s\n", bench_mechs[i]->name,
		    bench_mechs[i]->what);
	fprintf(f, "\n");
	table_help_columns(f, cols, NCOLS);
	fprintf(f, "Default columns:");
	for (i = 0; i < sizeof(defaults) / sizeof(int); i++)
		fprintf(f, "%s%s", i ? "," : " ", cols[defaults[i]].name);
	fprintf(f, "\n");
	fclose(f);
	return help;
}

const struct applet ipcbench_applet = {
	"ipcbench",
	"latency and throughput of each IPC mechanism, measured here",
	NULL,
	NULL,
	ipcbench_main,
};

int
ipcbench_main(int argc, char **argv)
{
	/* The help text is made only when it may be printed. */
	return applet_run_one_help(&ipcbench_applet, &one, help_text, argc,
	    argv);
}
