#include "models/kernel.h"

#include <cstdlib>
#include <vector>

#include <systemc>

namespace spinlab::models {

void quiet_systemc() {
  setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
}

void fresh_systemc_kernel() {
  // Old contexts are kept, not deleted: SystemC 2.3 cannot destroy a context
  // whose modules are still alive. Keeping them reachable also tells
  // LeakSanitizer they are not lost.
  // (A pointer, never destroyed: a static vector's destructor would run
  // before LeakSanitizer looks.)
  static auto* retired = new std::vector<sc_core::sc_simcontext*>;
  retired->push_back(sc_core::sc_curr_simcontext);
  sc_core::sc_curr_simcontext = new sc_core::sc_simcontext;
  sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
}

}  // namespace spinlab::models
