// `spinlab sweep --plot FILE.svg`: the cycles of each run of a sweep, drawn
// as an SVG by gnuplot, run as a child process with its script on stdin.
#pragma once

#include <string>
#include <vector>

#include "sim/cli/sweep.h"

namespace spinlab {

// The gnuplot script that draws `rows` as SVG on its stdout: x is the first
// param, y the cycles each run took; one curve per value of the second
// param (one curve, "cycles", with one param). A run that did not end with
// exit code 0 is left out (a gap in its curve): its cycles measure a limit or
// a deadlock, not the work. The same rows give the same script, and gnuplot's
// SVG holds no date, so the same sweep gives the same bytes.
std::string sweep_plot_script(const std::string& title, const std::vector<SweepParam>& params,
                              const std::vector<SweepRow>& rows);

// The gnuplot on PATH. Throws spinlab::Error (unavailable, exit code 69)
// when there is none, before a sweep spends its runs.
std::string find_gnuplot();

// Runs `gnuplot` with `script` on its stdin, without reading any init file,
// and writes what it draws on its stdout to `out_path`. Throws
// spinlab::Error: internal with gnuplot's first error line when it fails;
// no_input (66) naming `out_path` when that file cannot be written whole.
void run_gnuplot(const std::string& gnuplot, const std::string& script, const std::string& out_path);

}  // namespace spinlab
