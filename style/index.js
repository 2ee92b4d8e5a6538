import './base.css';
import './runs.css';
import './metadata.css';
import './lineagePanel.css';
import './dashboard.css';
import './search.css';
import './schedules.css';
import './sql.css';
