// [[device]] tables (sim/load/devices.h) and the plugin loader
// (sim/load/plugin.h): what is read, every refusal with its place and
// words, and the example timer's plugin made from its params. Mapping a
// device into a machine (Machine::attach) is tested end to end (e2e.sh).
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <systemc>

#include "sim/load/config.h"
#include "sim/load/plugin.h"

namespace spinlab {
namespace {

namespace fs = std::filesystem;

class DeviceConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fs::path("spinlab_devices_" + std::to_string(::getpid()) + "_" +
                                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "plugins");
    std::ofstream(dir_ / "prog.elf") << "";
    std::ofstream(dir_ / "plugins" / "libtext.so") << std::string(200, '#') << " not a shared library\n";
    fs::copy_file(DEVICES_TIMER_PLUGIN, dir_ / "plugins" / "libtimer.so");
    for (const char* way : {"no_create", "old_version", "refuse", "no_socket"})
      fs::copy_file(std::string(DEVICES_BAD_PLUGINS) + "/libbad_" + way + ".so",
                    dir_ / "plugins" / (std::string("lib") + way + ".so"));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string config(const std::string& devices, const std::string& more = "") {
    const std::string path = (dir_ / "m.toml").string();
    std::ofstream(path) << "[firmware]\nprogram = \"prog.elf\"\n" << more << devices;
    return path;
  }
  Error error_of(const std::string& devices, const std::string& more = "", std::vector<Override> sets = {}) {
    try {
      load_config(config(devices, more), sets);
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error for:\n" << devices;
    return Error(ExitCode::ok, {}, "");
  }
  std::string plugin(const std::string& name) { return (dir_ / "plugins" / name).string(); }

  fs::path dir_;
};

const char* kTimer =
    "[[device]]\nname = \"timer0\"\nplugin = \"plugins/libtimer.so\"\nbase = 0x10030000\nsize = 0x1000\nirq = 5\n"
    "tick_ns = 10\nlatency_ns = 20\n";

TEST_F(DeviceConfigTest, ATableIsReadWithItsParamsAsText) {
  Config c = load_config(config(std::string(kTimer) +
                                "[[device]]\nname = \"dma-1\"\nplugin = \"plugins/libtimer.so\"\nbase = 0x10040000\n"
                                "size = 0x100\nmode = \"fast\"\nratio = 1.5\non = true\n"),
                         {});
  ASSERT_EQ(c.devices.size(), 2u);
  const DeviceConfig& t = c.devices[0];
  EXPECT_EQ(t.name, "timer0");
  EXPECT_EQ(t.plugin, plugin("libtimer.so"));  // relative to the config file
  EXPECT_EQ(t.base, 0x10030000u);
  EXPECT_EQ(t.size, 0x1000u);
  EXPECT_EQ(t.irq, 5u);
  EXPECT_EQ(t.params, (std::vector<std::pair<std::string, std::string>>{{"latency_ns", "20"}, {"tick_ns", "10"}}));
  EXPECT_EQ(t.place.line, 3u);
  const DeviceConfig& d = c.devices[1];
  EXPECT_EQ(d.irq, 0u);  // none
  EXPECT_EQ(d.params,
            (std::vector<std::pair<std::string, std::string>>{{"mode", "fast"}, {"on", "true"}, {"ratio", "1.5"}}));
  // --set replaces the whole array; "device=[]" drops them.
  EXPECT_TRUE(load_config(config(kTimer), {{"device=[]"}}).devices.empty());
}

TEST_F(DeviceConfigTest, EachKeyIsCheckedWhereItIsWritten) {
  Error e = error_of("[[device]]\nname = \"t\"\nplugin = \"plugins/nope.so\"\nbase = 0\nsize = 4\n");
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_EQ(e.place().line, 5u);
  EXPECT_EQ(e.place().column, 10u);
  EXPECT_EQ(e.message(), "device[0].plugin: no file " + plugin("nope.so"));

  e = error_of("[[device]]\nplugin = \"plugins/libtimer.so\"\nbase = 0\nsize = 4\n");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(e.place().line, 3u);
  EXPECT_EQ(e.message(), "missing key `device[0].name`: a name of letters, digits, _ and -");

  e = error_of("[[device]]\nname = \"t\"\nplugin = \"plugins/libtimer.so\"\nbase = 0x10030002\nsize = 4\n");
  EXPECT_EQ(e.place().line, 6u);
  EXPECT_EQ(e.message(), "device[0].base: expected a 4-aligned bus address from 0 to 0xfffffffc, got 268632066");

  e = error_of("[[device]]\nname = \"t\"\nplugin = \"plugins/libtimer.so\"\nbase = 0xfffff000\nsize = 0x2000\n");
  EXPECT_EQ(e.message(), "device[0].size: 0x2000 bytes from 0xfffff000 run past the end of the 32-bit address space");

  e = error_of("[[device]]\nname = \"t t\"\nplugin = \"plugins/libtimer.so\"\nbase = 0\nsize = 4\n");
  EXPECT_EQ(e.message(), "device[0].name: expected a name of letters, digits, _ and -, got \"t t\"");

  e = error_of("[[device]]\nname = \"t\"\nplugin = \"plugins/libtimer.so\"\nbase = 0\nsize = 4\nlist = [1]\n");
  EXPECT_EQ(e.place().line, 8u);
  EXPECT_EQ(e.message(), "device[0].list: a param for the plugin is a string, an integer, a float or a boolean, "
                         "got an array");
}

TEST_F(DeviceConfigTest, LinesAndRangesAreTheirOwn) {
  Error e = error_of(kTimer, "[machine]\nplic_sources = 4\n");
  EXPECT_EQ(e.place().line, 10u);
  EXPECT_EQ(e.message(),
            "device[0].irq: expected an integer from 1 to machine.plic_sources, got 5; machine.plic_sources is 4");

  e = error_of(kTimer, "[[irq_source]]\nname = \"nic\"\nline = 5\n");
  EXPECT_EQ(e.message(), "device[0].irq: 5 is already the line of irq_source[0]; a device needs a line of its own");

  e = error_of(std::string(kTimer) +
               "[[device]]\nname = \"timer1\"\nplugin = \"plugins/libtimer.so\"\nbase = 0x10030800\nsize = 0x1000\n");
  EXPECT_EQ(e.place().line, 14u);
  EXPECT_EQ(e.message(),
            "device[1].base: 0x10030800..0x100317ff overlaps device[0] (timer0, 0x10030000..0x10030fff)");

  e = error_of(std::string(kTimer) +
               "[[device]]\nname = \"timer0\"\nplugin = \"plugins/libtimer.so\"\nbase = 0x10040000\nsize = 4\n");
  EXPECT_EQ(e.message(), "device[1].name: \"timer0\" is already the name of device[0]; each [[device]] needs its "
                         "own name");
  e = error_of("[[devices]]\nname = \"t\"\n");
  EXPECT_EQ(e.message(), "unknown table `devices`; did you mean `device`?");
  // A --set is named as the place.
  e = error_of("", "", {{"device=[{ name = \"t\", plugin = \"nope.so\", base = 0, size = 4 }]"}});
  EXPECT_EQ(e.code(), ExitCode::no_input);
  EXPECT_EQ(e.place().file, "--set device=[{ name = \"t\", plugin = \"nope.so\", base = 0, size = 4 }]");
}

// --set device.NAME.KEY=VALUE: one key of one device, checked as in the file.
TEST_F(DeviceConfigTest, SetReachesOneKeyOfOneDevice) {
  Config c = load_config(config(kTimer),
                         {{"device.timer0.tick_ns=40"}, {"device.timer0.base=0x10050000"}, {"device.timer0.irq=7"}});
  ASSERT_EQ(c.devices.size(), 1u);
  const DeviceConfig& t = c.devices[0];
  EXPECT_EQ(t.base, 0x10050000u);
  EXPECT_EQ(t.irq, 7u);
  EXPECT_EQ(t.size, 0x1000u);  // untouched
  EXPECT_EQ(t.params, (std::vector<std::pair<std::string, std::string>>{{"latency_ns", "20"}, {"tick_ns", "40"}}));
  // The report's settings name each --set with the value it left.
  std::vector<Setting> s = changed_settings(c, {{"device.timer0.tick_ns=40"}, {"device.timer0.base=0x10050000"}}, {});
  ASSERT_GE(s.size(), 2u);
  EXPECT_EQ(s[s.size() - 2].key, "device.timer0.tick_ns");
  EXPECT_EQ(s[s.size() - 2].toml, "40");
  EXPECT_EQ(s.back().key, "device.timer0.base");
  EXPECT_EQ(s.back().toml, "268763136");
  const std::string plugin_row = "  device.timer0.plugin      \"" + plugin("libtimer.so") + "\"\n";
  EXPECT_EQ(device_key_listing(c.devices), plugin_row +
                                               "  device.timer0.base        0x10050000\n"
                                               "  device.timer0.size        0x1000\n"
                                               "  device.timer0.irq         7\n"
                                               "  device.timer0.latency_ns  20  (the plugin's param)\n"
                                               "  device.timer0.tick_ns     40  (the plugin's param)\n");
}

TEST_F(DeviceConfigTest, SetOfAnUnknownDeviceOrKeyGuesses) {
  Error e = error_of(kTimer, "", {{"device.timr0.tick_ns=40"}});
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(e.place().file, "--set device.timr0.tick_ns=40");
  EXPECT_EQ(e.message(), "unknown device `timr0` in `device.timr0.tick_ns`; did you mean `timer0`?");
  e = error_of(kTimer, "", {{"device.dma.mode=1"}});
  EXPECT_EQ(e.message(), "unknown device `dma` in `device.dma.mode`; the devices are timer0");
  e = error_of("", "", {{"device.timer0.tick_ns=40"}});
  EXPECT_EQ(e.message(), "unknown device `timer0` in `device.timer0.tick_ns`; the config has no [[device]] table");
  e = error_of(kTimer, "", {{"device.timer0.tick=40"}});
  EXPECT_EQ(e.message(),
            "unknown key `device.timer0.tick`: the [[device]] timer0 has no key `tick`; did you mean "
            "`device.timer0.tick_ns`?");
  e = error_of(kTimer, "", {{"device.timer0.colour=1"}});
  EXPECT_EQ(e.message(),
            "unknown key `device.timer0.colour`: the [[device]] timer0 has no key `colour`; it has "
            "plugin, base, size, irq, latency_ns, tick_ns");
  e = error_of(kTimer, "", {{"device.timer0.base=3"}});
  EXPECT_EQ(e.message(), "device.timer0.base: expected a 4-aligned bus address from 0 to 0xfffffffc, got 3");
  e = error_of(kTimer, "", {{"device.timer0.tick_ns=[1]"}});
  EXPECT_EQ(e.message(),
            "device.timer0.tick_ns: a param for the plugin is a string, an integer, a float or a "
            "boolean, got an array");
  e = error_of(kTimer, "", {{"device.timer0.name=t"}});
  EXPECT_EQ(e.message().rfind("device.timer0.name: --set finds a device by its name and cannot change it", 0), 0u);
  e = error_of(kTimer, "", {{"device.timer0=1"}});
  EXPECT_EQ(e.message().rfind("device.timer0: --set device.NAME.KEY=VALUE sets a key", 0), 0u);
  // The whole-config checks see the --set: a line out of range.
  e = error_of(kTimer, "", {{"device.timer0.irq=99"}});
  EXPECT_EQ(e.message(),
            "device[0].irq: expected an integer from 1 to machine.plic_sources, got 99; "
            "machine.plic_sources is 31");
}

// The loader, each way a plugin can fail: one line at the table, naming it.
struct LoaderCase {
  const char* file;
  const char* message;  // after "device[0]..."
};

TEST_F(DeviceConfigTest, ThePluginsRefusalsNameTheDevice) {
  auto device = [&](const std::string& file, const std::string& params = "") {
    Config c = load_config(config("[[device]]\nname = \"d\"\nplugin = \"plugins/" + file +
                                  "\"\nbase = 0x10030000\nsize = 0x1000\n" + params),
                           {});
    return c.devices.at(0);
  };
  auto refusal = [&](const std::string& file, const std::string& params = "") -> Error {
    try {
      create_plugin_device(device(file, params), 0);
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error for " << file;
    return Error(ExitCode::ok, {}, "");
  };
  Error e = refusal("libtext.so");
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(e.place().line, 5u);  // the plugin key
  EXPECT_EQ(e.message().rfind("device[0].plugin: cannot load " + plugin("libtext.so") + " as a shared library: ", 0),
            0u)
      << e.message();
  EXPECT_NE(e.message().find("ELF"), std::string::npos) << e.message();  // dlerror's reason: "invalid ELF header"

  e = refusal("libno_create.so");
  EXPECT_EQ(e.message(), "device[0].plugin: " + plugin("libno_create.so") +
                             " exports no `spinlab_device_create`: not a spinlab plugin (docs/devices.md has the "
                             "entry points)");
  e = refusal("libold_version.so");
  EXPECT_EQ(e.message(), "device[0].plugin: " + plugin("libold_version.so") +
                             " is built for plugin ABI version 0, this spinlab loads version 1; rebuild it against "
                             "this spinlab's <spinlab/plugin.h>");
  e = refusal("librefuse.so", "color = \"blue\"\n");
  EXPECT_EQ(e.place().line, 3u);  // the table
  EXPECT_EQ(e.message(), "device[0] (d): the plugin librefuse.so refused it: no device of color blue here");
  e = refusal("libno_socket.so");
  EXPECT_EQ(e.message(), "device[0] (d): the plugin libno_socket.so returned no socket");
  // The example timer's own checks of its params.
  e = refusal("libtimer.so", "tick_ns = \"fast\"\n");
  EXPECT_EQ(e.message(), "device[0] (d): the plugin libtimer.so refused it: tick_ns: expected a positive whole "
                         "number of nanoseconds, got \"fast\"");
  e = refusal("libtimer.so", "tick_ms = 3\n");
  EXPECT_EQ(e.message(), "device[0] (d): the plugin libtimer.so refused it: unknown param `tick_ms`; the timer "
                         "takes tick_ns and latency_ns");
}

TEST_F(DeviceConfigTest, TheTimerPluginMakesAModuleWithASocketAndAnInterruptOutput) {
  Config c = load_config(config(kTimer), {});
  PluginModule made = create_plugin_device(c.devices.at(0), 0);
  ASSERT_NE(made.module, nullptr);
  EXPECT_EQ(std::string(made.module->name()), "timer0");
  EXPECT_STREQ(made.module->kind(), "sc_module");
  ASSERT_NE(made.ports.socket, nullptr);
  ASSERT_NE(made.ports.irq, nullptr);
  EXPECT_EQ(std::string(made.ports.irq->name()), "timer0.irq");
  // It registered with this process's one SystemC kernel: the plugin links
  // the same libsystemc.so.
  EXPECT_EQ(sc_core::sc_find_object("timer0"), made.module.get());
}

}  // namespace
}  // namespace spinlab
