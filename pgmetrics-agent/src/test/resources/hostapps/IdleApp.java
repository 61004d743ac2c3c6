import java.sql.Driver;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A test host application without any library of its own. "exit": prints one line and returns
 * from main (the JVM must then end, agent or not). "run": prints a heartbeat with the drivers its
 * DriverManager sees, until it is killed.
 */
public class IdleApp {
    public static void main(String[] args) throws Exception {
        System.out.println("HOST main entered");
        if (args.length > 0 && args[0].equals("exit")) {
            return;
        }
        for (int tick = 0; ; tick++) {
            List<String> drivers = new ArrayList<>();
            for (Driver d : java.util.Collections.list(DriverManager.getDrivers())) {
                drivers.add(d.getClass().getName());
            }
            System.out.println("HOST alive tick=" + tick + " drivers=" + drivers);
            Thread.sleep(200);
        }
    }
}
