#pragma once

#include "command.hpp"

namespace cakupan::cli {

std::unique_ptr<Command> make_info_command();
std::unique_ptr<Command> make_validate_command();
std::unique_ptr<Command> make_adjacency_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_report_command();
std::unique_ptr<Command> make_classify_command();
std::unique_ptr<Command> make_map_command();
std::unique_ptr<Command> make_sensitivity_command();
std::unique_ptr<Command> make_calibrate_command();
std::unique_ptr<Command> make_plan_command();

} // namespace cakupan::cli
